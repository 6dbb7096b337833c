/**
 * True when an IPC message comes from the main frame of the app's window. Frames are compared by identity:
 * Electron hands out one `WebFrameMain` object per frame, so an iframe's (or another window's) never
 * equals the window's main frame, and a frame that navigated away or was destroyed reports null.
 */
export function isMainFrameSender(options: {
  /** `event.senderFrame` of the IPC event. */
  senderFrame: unknown;
  /** The app's window, or null when it is closed. */
  window: { webContents: { mainFrame: unknown } } | null;
}): boolean {
  return options.window !== null && options.senderFrame != null && options.senderFrame === options.window.webContents.mainFrame;
}

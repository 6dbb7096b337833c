import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  powerSaveBlocker,
  shell,
  Tray,
  type IpcMainInvokeEvent,
} from 'electron';
import { createEngineSupervisor } from '../host/createEngineSupervisor.js';
import { createMainHost, type MainHost } from '../host/createMainHost.js';
import type { SessionSupervisor } from '../host/SessionSupervisor.js';
import type { EngineEvent } from '../shared/engineEventSchema.js';
import { NightshiftError } from '../shared/NightshiftError.js';
import { eventChannel, pickFolderChannel, protocolChannel, protocolNames, type ProtocolName } from '../shared/protocol.js';
import type { SessionControlState } from '../shared/sessionControlStateSchema.js';
import { createEngineUtilityProcessSpawner } from './createEngineUtilityProcessSpawner.js';
import { createPowerGuard } from './createPowerGuard.js';
import { createQuitGuard } from './createQuitGuard.js';
import { decideNotification } from './decideNotification.js';
import { describeTrayStatus, type SessionEndStatus, type TrayAction, type TrayStatus } from './describeTrayStatus.js';
import { electronNativeBinding } from './electronNativeBinding.js';
import { isMainFrameSender } from './isMainFrameSender.js';
import { UntrustedSenderError } from './UntrustedSenderError.js';

// The main process only supervises: it owns the window, the tray and the engine processes' lifetimes, and
// routes each protocol message to the host, which holds everything Nightshift knows. What the tray says,
// when to notify, when to keep the machine awake and how a quit proceeds are decided in plain modules
// beside this one, which are tested without Electron.

const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const rendererPath = fileURLToPath(new URL('../renderer/index.html', import.meta.url));

let host: MainHost | null = null;
let supervisor: SessionSupervisor | null = null;
let mainWindow: BrowserWindow | null = null;
let tray: Tray | null = null;
const controlStates = new Map<string, SessionControlState>();
let lastEnd: SessionEndStatus | null = null;
const powerGuard = createPowerGuard({ blocker: powerSaveBlocker });
const quitGuard = createQuitGuard({
  busy: () => supervisor?.busy() ?? false,
  confirm: async () => {
    const options = {
      type: 'question' as const,
      buttons: ['Stop and quit', 'Keep running'],
      defaultId: 1,
      cancelId: 1,
      message: 'A session is running. Stop it after the current step and quit?',
      detail: 'The current step finishes and is recorded first; the session can be resumed later.',
    };
    const answer = mainWindow ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
    return answer.response === 0;
  },
  dispose: async () => {
    const closing = host;
    host = null;
    await closing?.dispose();
    powerGuard.dispose();
    tray?.destroy();
    tray = null;
  },
  exit: () => app.quit(),
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', showWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', (event) => quitGuard.beforeQuit(event));
  // The window shows local records only: no embedded browsers, whatever the page tries.
  app.on('web-contents-created', (_event, contents) => contents.on('will-attach-webview', (event) => event.preventDefault()));
  app.whenReady().then(start, (error: unknown) => fail(error));
}

function start(): void {
  let openedHost: MainHost;
  try {
    openedHost = openHost();
  } catch (error) {
    fail(error);
    return;
  }
  host = openedHost;
  for (const name of protocolNames) {
    const channel = protocolChannel(name);
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, request: unknown) => {
      if (!fromMainWindow(event)) return { ok: false, error: refusal(event, channel).toJSON() };
      return openedHost.handle(name, request);
    });
  }
  ipcMain.handle(pickFolderChannel, async (event: IpcMainInvokeEvent) => {
    if (!mainWindow || !fromMainWindow(event)) throw refusal(event, pickFolderChannel);
    const picked = await dialog.showOpenDialog(mainWindow, { title: 'Open a project', properties: ['openDirectory', 'createDirectory'] });
    return picked.canceled ? null : (picked.filePaths[0] ?? null);
  });
  openedHost.onEvent((event) => {
    mainWindow?.webContents.send(eventChannel, event);
    followSession(event);
  });
  Menu.setApplicationMenu(buildMenu());
  openTray();
  mainWindow = createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
}

function openHost(): MainHost {
  const nativeBinding = electronNativeBinding({ appPath: app.getAppPath(), electronVersion: process.versions.electron ?? '' });
  if (!existsSync(nativeBinding)) {
    throw new NightshiftError({
      code: 'NATIVE_MODULE_MISSING',
      message: `The SQLite addon built for Electron ${process.versions.electron} is missing (${nativeBinding}).`,
      hint: 'Start the app with `npm start`, which builds it before launching Electron.',
      context: { nativeBinding },
    });
  }
  const spawnEngine = createEngineUtilityProcessSpawner();
  return createMainHost({
    nativeBinding,
    createSupervisor: (context) => (supervisor = createEngineSupervisor({ context, spawnEngine, nativeBinding })),
  });
}

/** Only the window's own page reaches the host: never an iframe inside it, another window, or a page it navigated to. */
function fromMainWindow(event: IpcMainInvokeEvent): boolean {
  return isMainFrameSender({ senderFrame: event.senderFrame, window: mainWindow });
}

function refusal(event: IpcMainInvokeEvent, channel: string): UntrustedSenderError {
  return new UntrustedSenderError({ channel, frameUrl: event.senderFrame?.url ?? '' });
}

/** Keeps the tray, the power-save blocker and the notifications in step with the host's events. */
function followSession(event: EngineEvent): void {
  if (event.type === 'control/state') {
    controlStates.set(event.state.projectPath, event.state);
    powerGuard.update([...controlStates.values()]);
    renderTray();
  } else if (event.type === 'session/finished') {
    lastEnd = event.status;
    renderTray();
  }
  const notice = decideNotification({ event });
  if (!notice || !Notification.isSupported()) return;
  const notification = new Notification(notice);
  notification.on('click', showWindow);
  notification.show();
}

function openTray(): void {
  // `Template` in the name (and the @2x sibling) lets macOS recolour the icon for light and dark menu bars.
  const icon = nativeImage.createFromPath(join(app.getAppPath(), 'resources', 'icons', 'trayTemplate.png'));
  icon.setTemplateImage(true);
  tray = new Tray(icon);
  tray.on('click', showWindow);
  renderTray();
}

function renderTray(): void {
  if (!tray) return;
  const status = describeTrayStatus({ states: [...controlStates.values()], lastEnd });
  tray.setToolTip(`Nightshift: ${status.text}`);
  // The menu bar shows the status only while something happens; idle, the icon alone is enough.
  if (process.platform === 'darwin') tray.setTitle(status.text === 'Idle' ? '' : status.text);
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: status.text, enabled: false },
      { type: 'separator' },
      ...status.items.map((item) => ({ label: item.label, enabled: item.enabled, click: () => runTrayAction(item.action, status) })),
    ]),
  );
}

function runTrayAction(action: TrayAction, status: TrayStatus): void {
  const control = (name: Extract<ProtocolName, 'session/pause' | 'session/resume' | 'session/stop'>, projectPaths: string[]) => {
    for (const projectPath of projectPaths) {
      void host?.handle(name, { projectPath }).then((result) => {
        if (!result.ok) dialog.showErrorBox('Nightshift', `${result.error.message}\n\n${result.error.hint}`);
      });
    }
  };
  switch (action) {
    case 'show':
      return showWindow();
    case 'pause':
      return control('session/pause', status.pausable);
    case 'resume':
      return control('session/resume', status.resumable);
    case 'stop':
      return control('session/stop', status.stoppable);
    case 'quit':
      return app.quit();
  }
}

function showWindow(): void {
  if (!mainWindow) {
    if (host) mainWindow = createWindow();
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Nightshift',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  // The window shows local records only; links leave for the system browser and nothing navigates it.
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  const devServerUrl = process.env.ELECTRON_RENDERER_URL;
  if (!app.isPackaged && devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(rendererPath);
  return window;
}

function buildMenu(): Menu {
  return Menu.buildFromTemplate([
    process.platform === 'darwin' ? { role: 'appMenu' } : { label: 'Nightshift', submenu: [{ role: 'quit' }] },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ]);
}

function fail(error: unknown): void {
  const detail =
    error instanceof NightshiftError
      ? `${error.message}\n\n${error.hint}`
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
  console.error(error);
  dialog.showErrorBox('Nightshift cannot start', detail);
  app.exit(1);
}

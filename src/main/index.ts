import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, shell, type IpcMainInvokeEvent } from 'electron';
import { NightshiftError } from '../shared/NightshiftError.js';
import { eventChannel, protocolChannel, protocolNames } from '../shared/protocol.js';
import { createMainHost, type MainHost } from '../host/createMainHost.js';
import { electronNativeBinding } from './electronNativeBinding.js';

// The main process only supervises: it owns the window and routes each protocol message to the host,
// which holds everything Nightshift knows.

const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const rendererPath = fileURLToPath(new URL('../renderer/index.html', import.meta.url));

let host: MainHost | null = null;
let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    host?.dispose();
    host = null;
  });
  app.whenReady().then(start, (error: unknown) => fail(error));
}

function start(): void {
  try {
    host = openHost();
  } catch (error) {
    fail(error);
    return;
  }
  const openedHost = host;
  for (const name of protocolNames) {
    ipcMain.handle(protocolChannel(name), (event: IpcMainInvokeEvent, request: unknown) => {
      if (!mainWindow || event.sender !== mainWindow.webContents) {
        return { ok: false, error: { code: 'UNTRUSTED_SENDER', message: 'Request refused.', hint: 'Only the Nightshift window may call the host.' } };
      }
      return openedHost.handle(name, request);
    });
  }
  openedHost.onEvent((event) => mainWindow?.webContents.send(eventChannel, event));
  Menu.setApplicationMenu(buildMenu());
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
  return createMainHost({ nativeBinding });
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

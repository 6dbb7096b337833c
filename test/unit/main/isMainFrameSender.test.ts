import { describe, expect, it } from 'vitest';
import { isMainFrameSender } from '../../../src/main/isMainFrameSender.js';

describe('isMainFrameSender', () => {
  const mainFrame = { url: 'file:///app/index.html' };
  const window = { webContents: { mainFrame } };

  it('accepts the window’s main frame', () => {
    expect(isMainFrameSender({ senderFrame: mainFrame, window })).toBe(true);
  });

  it('refuses an iframe, even one at the same URL, a destroyed frame and any frame once the window is closed', () => {
    expect(isMainFrameSender({ senderFrame: { url: 'file:///app/index.html' }, window })).toBe(false);
    expect(isMainFrameSender({ senderFrame: null, window })).toBe(false);
    expect(isMainFrameSender({ senderFrame: undefined, window: { webContents: { mainFrame: undefined } } })).toBe(false);
    expect(isMainFrameSender({ senderFrame: mainFrame, window: null })).toBe(false);
  });
});

import { mount } from 'svelte';
import App from './App.svelte';
import { createBrowserApi } from './api/createBrowserApi.js';
import { createElectronApi } from './api/createElectronApi.js';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element to mount the interface in.');

// Inside Electron the preload script provides the bridge; anywhere else the page was served by a
// Nightshift host over HTTP, which answers on the page's own origin.
const api = window.nightshift ? createElectronApi() : createBrowserApi({ baseUrl: window.location.origin });

mount(App, { target, props: { api } });

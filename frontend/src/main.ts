// First: a locale Intl accepts, before the chart library loads (LANG=C).
import './lib/locale';
import { mount } from 'svelte';
import App from './App.svelte';
import { hideToken } from './lib/api';
import './style.css';

hideToken();
mount(App, { target: document.getElementById('app')! });

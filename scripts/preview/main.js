// Synthetic shadow first, as the base components require, then the app shell.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import App from 'preview/app';

document.querySelector('#root').appendChild(createElement('preview-app', { is: App }));

// main.js — the page's router: #/search, #/object/ID, #/adversary/ID,
// #/sightings/ID, #/wargame; the login form until there is a session.
import * as api from './api.js';
import { el, put, status } from './dom.js';
import { searchView } from './search.js';
import { objectView } from './object.js';
import { adversaryView } from './adversary.js';
import { sightingsView } from './sightings.js';
import { wargameView } from './wargame.js';

const main = document.getElementById('main');

function showChrome(s) {
	document.getElementById('nav').hidden = !s;
	document.getElementById('logout').hidden = !s;
	document.getElementById('nav-wargame').hidden = !(s && s.wargame);
	put(document.getElementById('who'), s ? `${s.user} (${s.organisation || ''})` : '');
}

function loginView(message) {
	const user = el('input', { id: 'user', name: 'user', autocomplete: 'username', required: true });
	const pass = el('input', { id: 'password', name: 'password', type: 'password',
		autocomplete: 'current-password', required: true });
	const err = el('p', { class: 'error', role: 'alert' }, message || '');
	const form = el('form', { class: 'login', onsubmit: async ev => {
		ev.preventDefault();
		put(err, '');
		try {
			const s = await api.login(user.value, pass.value);
			showChrome(s);
			if (!location.hash || location.hash === '#/login') location.hash = '#/search';
			else route();
		} catch (e) {
			put(err, e.status === 429 ? `Too many failed logins: try again in ${e.retryAfter || 'a few'} s.`
				: e.status === 503 ? 'The hub is busy checking logins: try again.'
				: e.status === 401 ? 'Wrong user name or password.' : e.message);
			pass.value = '';
			pass.focus();
		}
	} },
	el('h1', {}, 'Log in'),
	el('label', { for: 'user' }, 'User name', user),
	el('label', { for: 'password' }, 'Password', pass),
	el('button', { type: 'submit' }, 'Log in'),
	err);
	put(main, form);
	user.focus();
}

async function route() {
	if (!api.current()) {
		showChrome(null);
		loginView();
		return;
	}
	const h = location.hash.replace(/^#\/?/, '');
	const [path, query] = h.split('?');
	const [page, ...rest] = path.split('/');
	const arg = decodeURIComponent(rest.join('/'));
	const params = new URLSearchParams(query || '');
	status('');
	try {
		if (page === 'object' && arg) await objectView(main, arg);
		else if (page === 'adversary' && arg) await adversaryView(main, arg);
		else if (page === 'sightings' && arg) await sightingsView(main, arg);
		else if (page === 'wargame') await wargameView(main, params);
		else await searchView(main, params);
	} catch (e) {
		if (e.status === 401) return;  // cc-logged-out shows the login
		put(main, el('h1', {}, e.status === 404 ? 'Not found' : 'Error'),
			el('p', { class: 'error', role: 'alert' }, e.message));
	}
	const h1 = main.querySelector('h1');
	document.title = (h1 ? h1.textContent + ' — ' : '') + 'cybercell';
	if (!main.contains(document.activeElement))	// unless the view chose a field
		main.focus();
}

window.addEventListener('hashchange', route);
window.addEventListener('cc-logged-out', ev => {
	showChrome(null);
	loginView('Your session has ended (' + ev.detail + '): log in again.');
});
document.getElementById('logout').addEventListener('click', async () => {
	try { await api.logout(); } catch { /* logged out anyway */ }
	showChrome(null);
	history.replaceState(null, '', '#/login');	// no hashchange: the message stays
	loginView('You are logged out.');
});

(async () => {
	const s = await api.resume();
	showChrome(s);
	route();
})();

// api.js — the JSON API under /ui/api/ (docs/ui.md).  The session cookie is
// HttpOnly: this script never sees it; every change carries the CSRF token.

let session = null;             // {user, organisation, csrf, collections, ...}

export function current() { return session; }

export class ApiError extends Error {
	constructor(status, message, retryAfter) {
		super(message);
		this.status = status;
		this.retryAfter = retryAfter;
	}
}

async function answer(r) {
	let body = null;
	try { body = await r.json(); } catch { body = null; }
	if (r.ok) return body;
	const msg = (body && (body.error || body.description)) || r.statusText;
	if (r.status === 401 && session) {
		session = null;
		window.dispatchEvent(new CustomEvent('cc-logged-out', { detail: msg }));
	}
	throw new ApiError(r.status, msg, r.headers.get('Retry-After'));
}

export async function get(path, params = {}) {
	const q = new URLSearchParams();
	for (const [k, v] of Object.entries(params))
		if (v !== undefined && v !== null && v !== '') q.set(k, v);
	const qs = q.toString();
	return answer(await fetch('/ui/api/' + path + (qs ? '?' + qs : ''),
		{ credentials: 'same-origin', headers: { Accept: 'application/json' } }));
}

export async function post(path, body) {
	return answer(await fetch('/ui/api/' + path, {
		method: 'POST', credentials: 'same-origin',
		headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session ? session.csrf : '' },
		body: JSON.stringify(body || {}),
	}));
}

// Base64 of the UTF-8 bytes of s (btoa alone takes Latin-1 only).
function b64(s) {
	let bin = '';
	for (const b of new TextEncoder().encode(s)) bin += String.fromCharCode(b);
	return btoa(bin);
}

export async function login(user, password) {
	session = await answer(await fetch('/ui/api/login', {
		method: 'POST', credentials: 'same-origin',
		headers: { Authorization: 'Basic ' + b64(user + ':' + password) },
	}));
	return session;
}

export async function resume() {
	try {
		session = await get('session');
	} catch (e) {
		session = null;
	}
	return session;
}

export async function logout() {
	try { await post('logout'); } finally { session = null; }
}

// wargame.js — #/wargame: run a war game on one of the organisation's
// models against an adversary from the hub, and read its report.
import * as api from './api.js';
import { el, put } from './dom.js';

export async function wargameView(main) {
	put(main, el('h1', {}, 'War games'), el('p', { class: 'muted' }, 'Loading…'));
	const m = await api.get('wargame/models');
	put(main, el('h1', {}, 'War games'), el('pre', {}, JSON.stringify(m, null, 2)));
}

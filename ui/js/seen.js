// seen.js — "who else saw this": the hub-wide sightings of an indicator or
// of an observed value (GET sightings, the answer of `cybercell sightings`),
// as your organisation may know them: members that allow it by name, the
// others only counted.
import * as api from './api.js';
import { el, put, table } from './dom.js';

// The observed value an SCO stands for (its value, else a hash), or null.
export function observedValue(o) {
	if (typeof o.value === 'string') return o.value;
	const h = o.hashes && typeof o.hashes === 'object' ? Object.values(o.hashes) : [];
	return h.find(v => typeof v === 'string') || null;
}

function row(who, t) {
	return [who, String(t.sightings), String(t.count), t.first_seen || '', t.last_seen || ''];
}

function members(n) { return n === 1 ? '1 member' : `${n} members`; }

// The section for query {indicator: ID} or {value: V}: shown at once, filled
// when the hub has counted (a count reads every sighting you may read);
// data-state is "done" (or "error") then.
export function whoSawSection(query) {
	const body = el('p', { id: 'seen-summary', class: 'muted' }, 'Counting the sightings across the hub…');
	const sec = el('section', { 'aria-labelledby': 'h-seen', id: 'who-saw', 'aria-busy': 'true' },
		el('h2', { id: 'h-seen' }, 'Who else saw this'), body);
	api.get('sightings', query).then(a => {
		const rows = a.named.map(t => row(t.you ? `${t.member} (you)` : t.member, t));
		if (a.unnamed.members)
			rows.push(row(`${members(a.unnamed.members)} not named (they do not allow it)`, a.unnamed));
		if (a.hub.sightings)
			rows.push(row('the hub itself', a.hub));
		put(body, a.sightings
			? `${members(a.members)} sighted it: ${a.sightings} sightings, ${a.count} events, ` +
			  `first seen ${a.first_seen || '?'}, last seen ${a.last_seen || '?'}.`
			: 'No sightings you may see, from any member.');
		body.className = '';
		if (rows.length)
			sec.append(table('Sightings across the hub, as your organisation may know them',
				['Who', 'Sightings', 'Events', 'First seen', 'Last seen'], rows));
		sec.dataset.state = 'done';
	}).catch(e => {
		put(body, 'Could not count the sightings: ' + e.message);
		body.className = 'error';
		sec.dataset.state = 'error';
	}).finally(() => sec.removeAttribute('aria-busy'));
	return sec;
}

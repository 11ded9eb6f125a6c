// search.js — #/search?q=&by=&type=&before=: a table of what the member may
// see, newest first, a page at a time.
import * as api from './api.js';
import { el, put, status, tlpBadge, objLink, isAdversary, table } from './dom.js';

const TYPES = ['', 'attack-pattern', 'campaign', 'course-of-action', 'identity', 'indicator',
	'infrastructure', 'intrusion-set', 'malware', 'observed-data', 'relationship', 'report',
	'sighting', 'threat-actor', 'tool', 'vulnerability', 'domain-name', 'ipv4-addr', 'ipv6-addr',
	'url', 'file', 'email-addr'];
const BY = [['any', 'anything (a name from a word on)'], ['name', 'any part of a name'], ['alias', 'alias'],
	['external_id', 'external id (T1566, G0082)'], ['value', 'observed value']];

function select(id, label, options, value) {
	const s = el('select', { id, name: id },
		options.map(([v, t]) => el('option', { value: v, selected: v === value }, t)));
	return el('label', { for: id }, label, s);
}

function go(params) {
	const q = new URLSearchParams();
	for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
	location.hash = '#/search?' + q.toString();
}

export async function searchView(main, params) {
	const p = Object.fromEntries(params.entries());
	const q = el('input', { id: 'q', name: 'q', type: 'search', value: p.q || '', size: 34,
		placeholder: 'APT38, T1566, 198.51.100.7…' });
	const form = el('form', { class: 'search', role: 'search', onsubmit: ev => {
		ev.preventDefault();
		const f = new FormData(form);
		go({ q: f.get('q'), by: f.get('by'), type: f.get('type') });
	} },
	el('label', { for: 'q' }, 'Search', q),
	select('by', 'By', BY, p.by || 'any'),
	select('type', 'Type', TYPES.map(t => [t, t || 'any type']), p.type || ''),
	el('button', { type: 'submit' }, 'Search'));
	const results = el('div', { id: 'results' });
	put(main, el('h1', {}, 'Search'), form, results);
	status('searching…');
	const r = await api.get('search', { q: p.q, by: p.by, type: p.type, before: p.before });
	status('');
	const rows = r.results.map(o => [
		o.type,
		el('span', {}, objLink(o), isAdversary(o.type)
			? [' ', el('a', { href: '#/adversary/' + encodeURIComponent(o.id), class: 'muted' }, '(adversary page)')]
			: null),
		tlpBadge(o.tlp) || '',
		o.collection || '',
		o.modified || '',
	]);
	const pager = el('div', { class: 'pager' },
		p.before ? el('a', { href: '#/search?' + new URLSearchParams({ q: p.q || '', by: p.by || '', type: p.type || '' }) }, 'First page') : null,
		r.more ? el('a', { href: '#/search?' + new URLSearchParams({ q: p.q || '', by: p.by || '', type: p.type || '', before: r.next }), rel: 'next' }, 'Next page') : null);
	put(results,
		el('p', { class: 'count' }, `${r.results.length} result${r.results.length === 1 ? '' : 's'}${r.more ? ' on this page' : ''}`),
		r.results.length ? table(null, ['Type', 'Name', 'TLP', 'Collection', 'Modified'], rows) : null,
		pager);
	results.dataset.q = p.q || '';	// the results are in (tests wait for it)
	q.focus();
}

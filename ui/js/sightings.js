// sightings.js — #/sightings/ID: the sightings of an object on a time
// line (one bar from first to last seen per sighting), and as a table.
import * as api from './api.js';
import { el, svg, put, objLink, table } from './dom.js';
import { sightingRows } from './object.js';

const W = 1000, ROW = 26, LEFT = 10, TOP = 30;

function timeline(ss) {
	const t = s => Date.parse(s.first_seen || s.created), u = s => Date.parse(s.last_seen || s.first_seen || s.created);
	const items = ss.filter(s => !isNaN(t(s))).sort((a, b) => t(a) - t(b));
	if (!items.length) return el('p', { class: 'muted' }, 'No sighting has a time.');
	const lo = Math.min(...items.map(t)), hi = Math.max(...items.map(u), lo + 3600e3);
	const x = v => LEFT + (v - lo) / (hi - lo) * (W - 2 * LEFT);
	const h = TOP + items.length * ROW + 10;
	const title = `${items.length} sightings from ${new Date(lo).toISOString()} to ${new Date(hi).toISOString()}`;
	return svg('svg', { class: 'timeline', viewBox: `0 0 ${W} ${h}`, role: 'img', 'aria-label': title },
		svg('title', {}, title),
		svg('text', { x: LEFT, y: 16, 'font-size': 12 }, new Date(lo).toISOString().slice(0, 10)),
		svg('text', { x: W - LEFT, y: 16, 'font-size': 12, 'text-anchor': 'end' }, new Date(hi).toISOString().slice(0, 10)),
		items.map((s, i) => {
			const y = TOP + i * ROW, x0 = x(t(s)), x1 = Math.max(x(u(s)), x0 + 4);
			const label = `${s.count ?? '?'} × ${(s.where_sighted || []).join(', ') || 'somewhere'}`;
			return svg('g', { class: 'sighting' },
				svg('rect', { x: x0, y, width: x1 - x0, height: ROW - 8, fill: '#c0392b', rx: 3 },
					svg('title', {}, `${s.first_seen || s.created} – ${s.last_seen || ''}: ${label}`)),
				svg('text', { x: Math.min(x1 + 6, W - 200), y: y + ROW - 12, 'font-size': 12 }, label));
		}));
}

export async function sightingsView(main, id) {
	const r = await api.get('object', { id });
	put(main,
		el('h1', {}, 'Sightings of ', r.summary.name || id),
		el('p', {}, objLink(r.summary)),
		timeline(r.sightings),
		table(null, ['First seen', 'Last seen', 'Count', 'Where', 'TLP'], sightingRows(r.sightings)));
}

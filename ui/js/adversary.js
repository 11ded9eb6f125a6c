// adversary.js — #/adversary/ID: the ATT&CK matrix (tactics × techniques)
// as a heat map of what the group and its software use, its malware and
// tools, and the graph of its relationships (cytoscape.js).
import * as api from './api.js';
import { el, put, status, tlpBadge, objLink, table } from './dom.js';
import { drawGraph } from './graph.js';

// ATT&CK Enterprise's tactics in matrix order, when the store has no
// x-mitre-matrix the member may see.
const TACTICS = ['reconnaissance', 'resource-development', 'initial-access', 'execution',
	'persistence', 'privilege-escalation', 'defense-evasion', 'credential-access', 'discovery',
	'lateral-movement', 'collection', 'command-and-control', 'exfiltration', 'impact'];

function title(shortname) {
	return shortname.split('-').map(w => w === 'and' ? w : w[0].toUpperCase() + w.slice(1)).join(' ');
}

const parentOf = t => (t.attack_id || '').split('.')[0];

// Columns of the matrix: tactic -> parent techniques, each with its
// sub-techniques; used ones carry who uses them.
function build(r) {
	const used = new Map(r.techniques.map(t => [t.id, t]));
	const order = r.tactics.length ? r.tactics.map(t => [t.shortname, t.name]) : TACTICS.map(s => [s, title(s)]);
	const cols = new Map(order.map(([s, n]) => [s, { name: n, cells: new Map() }]));
	const all = new Map(r.matrix.map(t => [t.id, t]));
	for (const t of r.techniques) if (!all.has(t.id)) all.set(t.id, t);
	for (const t of all.values()) {
		const tactics = t.tactics.length ? t.tactics : ['other'];
		for (const tac of tactics) {
			if (!cols.has(tac)) cols.set(tac, { name: title(tac), cells: new Map() });
			const key = parentOf(t) || t.id;
			const cells = cols.get(tac).cells;
			if (!cells.has(key)) cells.set(key, { parent: null, subs: [] });
			const c = cells.get(key);
			if ((t.attack_id || '').includes('.')) c.subs.push(t); else c.parent = t;
		}
	}
	return { cols, used };
}

function cell(c, used, onlyUsed) {
	const users = new Set();
	const usedHere = [c.parent, ...c.subs].filter(t => t && used.has(t.id));
	for (const t of usedHere) for (const u of used.get(t.id).used_by) users.add(u);
	if (onlyUsed && !usedHere.length) return null;
	const p = c.parent || c.subs[0];
	const heat = Math.min(users.size, 4);
	const name = c.parent ? `${c.parent.attack_id || ''} ${c.parent.name}` : parentOf(p);
	const parentUsed = c.parent && used.has(c.parent.id);
	return el('li', {
		class: 'cell' + (usedHere.length ? ' used heat-' + heat : ''),
		'data-id': parentUsed ? c.parent.id : null,
		title: usedHere.length ? 'used by ' + [...users].join(', ') : null,
	},
	c.parent ? el('a', { href: '#/object/' + encodeURIComponent(c.parent.id) }, name) : name,
	usedHere.length ? el('span', { class: 'sr' }, ` (used by ${[...users].join(', ')})`) : null,
	c.subs.filter(s => used.has(s.id)).map(s => el('span', { class: 'sub used', 'data-id': s.id },
		el('a', { href: '#/object/' + encodeURIComponent(s.id) }, `${s.attack_id} ${s.name}`))));
}

function matrix(r, onlyUsed) {
	const { cols, used } = build(r);
	const columns = [];
	for (const [, col] of cols) {
		const cells = [...col.cells.values()]
			.sort((a, b) => ((a.parent || a.subs[0]).name || '').localeCompare((b.parent || b.subs[0]).name || ''))
			.map(c => cell(c, used, onlyUsed)).filter(Boolean);
		if (!cells.length) continue;
		columns.push(el('section', { class: 'tactic', 'aria-label': col.name },
			el('h3', {}, col.name), el('ol', {}, cells)));
	}
	return el('div', { class: 'matrix', id: 'matrix', 'data-techniques': r.techniques.length }, columns);
}

export async function adversaryView(main, id) {
	const t0 = performance.now();
	const r = await api.get('adversary', { id });
	const g = r.group;
	const holder = el('div', {});
	let onlyUsed = false;
	const toggle = el('button', { type: 'button', 'aria-pressed': 'false', onclick: () => {
		onlyUsed = !onlyUsed;
		toggle.setAttribute('aria-pressed', String(onlyUsed));
		toggle.textContent = onlyUsed ? 'Show every technique' : 'Show only the techniques used';
		put(holder, matrix(r, onlyUsed));
	} }, 'Show only the techniques used');
	const graphBox = el('div', { class: 'graph', id: 'graph', role: 'img',
		'aria-label': `Relationship graph of ${g.name}: ${r.graph.nodes.length} objects, ${r.graph.edges.length} relationships` });
	put(main,
		el('h1', {}, g.name || g.id, ' ', tlpBadge(g.tlp)),
		el('p', {}, objLink(g), ' · ', g.type,
			r.object.aliases ? ' · also known as ' + r.object.aliases.join(', ') : ''),
		r.object.description ? el('p', { class: 'description' }, r.object.description) : null,
		api.current() && api.current().wargame
			? el('p', {}, el('a', { href: '#/wargame?adversary=' + encodeURIComponent(g.id) }, `Run a war game against ${g.name}`))
			: null,
		el('section', { 'aria-labelledby': 'h-matrix' },
			el('h2', { id: 'h-matrix' }, 'ATT&CK matrix'),
			el('p', { id: 'technique-count' }, `${r.techniques.length} techniques used by ${g.name} and its software`),
			el('div', { class: 'legend', 'aria-hidden': 'true' }, 'Used by:',
				[1, 2, 3, 4].map(n => el('span', { class: `cell used heat-${n}` }, n < 4 ? String(n) : '4 or more'))),
			toggle, holder),
		el('section', { 'aria-labelledby': 'h-software' },
			el('h2', { id: 'h-software' }, `Malware and tools (${r.software.length})`),
			table(null, ['Name', 'Type', 'TLP'], r.software.map(s => [objLink(s), s.type, tlpBadge(s.tlp) || '']))),
		el('section', { 'aria-labelledby': 'h-graph' },
			el('h2', { id: 'h-graph' }, 'Relationships'), graphBox));
	put(holder, matrix(r, false));
	main.dataset.matrixMs = String(Math.round(performance.now() - t0));
	status('');
	await drawGraph(graphBox, r.graph, g.id);
}

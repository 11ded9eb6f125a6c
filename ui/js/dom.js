// dom.js — building the page from data without ever parsing it as HTML:
// every text goes in as a text node, every attribute through setAttribute.

// el('a', {href: '#/x', class: 'c', onclick: f}, 'text', child...)
export function el(tag, props = {}, ...kids) {
	const e = document.createElement(tag);
	for (const [k, v] of Object.entries(props)) {
		if (v === null || v === undefined || v === false) continue;
		if (k === 'class') e.className = v;
		else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
		else e.setAttribute(k, v === true ? '' : String(v));
	}
	add(e, kids);
	return e;
}

function add(e, kids) {
	for (const c of kids.flat(Infinity)) {
		if (c === null || c === undefined || c === false) continue;
		e.append(c instanceof Node ? c : document.createTextNode(String(c)));
	}
}

// An SVG element with attributes (never a style attribute: the CSP forbids it).
export function svg(tag, attrs = {}, ...kids) {
	const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
	for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
	add(e, kids);
	return e;
}

// Replace the contents of node with kids.
export function put(node, ...kids) {
	node.replaceChildren();
	add(node, kids);
	return node;
}

export function status(text) {
	document.getElementById('status').textContent = text;
}

// The badge of a TLP level name ("red", "amber+strict", ...), or nothing.
export function tlpBadge(level) {
	if (!level) return null;
	return el('span', { class: 'tlp tlp-' + level.replace('+', '-'), title: 'Traffic Light Protocol 2.0' },
		'TLP:' + level.toUpperCase());
}

const ADVERSARY = new Set(['intrusion-set', 'threat-actor', 'campaign']);

// A link to the page of object summary s ({id, type, name}).
export function objLink(s) {
	if (!s || !s.id) return null;
	const label = s.name || s.id;
	if (!s.type) return el('span', { class: 'muted' }, label);
	return el('a', { href: '#/object/' + encodeURIComponent(s.id) }, label);
}

export function isAdversary(type) { return ADVERSARY.has(type); }

// A table with a header row and rows of cells (nodes or text).
export function table(caption, heads, rows) {
	return el('table', {},
		caption ? el('caption', { class: 'muted' }, caption) : null,
		el('thead', {}, el('tr', {}, heads.map(h => el('th', { scope: 'col' }, h)))),
		el('tbody', {}, rows.map(r => el('tr', {}, r.map(c => el('td', {}, c))))));
}

// object.js — #/object/ID: every property, every version with what
// changed and which peer delivered it, relationships both ways, sightings,
// who else saw it, the raw STIX.
import * as api from './api.js';
import { el, put, tlpBadge, objLink, isAdversary, table } from './dom.js';
import { whoSawSection, observedValue } from './seen.js';

// A property's value as text (structures as indented JSON).
function valueText(v) {
	return typeof v === 'string' ? v : JSON.stringify(v, null, 2);
}

function properties(o) {
	return table(null, ['Property', 'Value'], Object.keys(o).map(k => [
		el('span', { class: 'prop' }, k),
		typeof o[k] === 'object' ? el('pre', {}, valueText(o[k])) : valueText(o[k]),
	]));
}

// Which peers (other hubs) delivered a version, and when.
function received(v) {
	return (v.received || []).length ? el('p', { class: 'received muted' }, v.received.map((r, i) =>
		[i ? '; ' : 'received from ', el('span', { class: 'peer' }, r.peer), ' at ', r.received])) : null;
}

function versions(vs) {
	return el('ol', { class: 'versions' }, vs.map((v, i) => el('li', {},
		el('strong', {}, v.modified || '(no version)'),
		i === vs.length - 1 ? ' — first version' : ':',
		received(v),
		v.changes.length ? el('ul', { class: 'changes' }, v.changes.map(c =>
			el('li', {}, c.property + ' ' + c.change))) : null)));
}

function relationships(rels) {
	const row = r => [r.direction === 'out' ? 'this → ' + r.relationship_type
		: r.relationship_type + ' → this', objLink(r.other) || '', r.other.type || '',
		tlpBadge(r.tlp) || ''];
	return rels.length
		? table(null, ['Relationship', 'Other end', 'Its type', 'TLP'], rels.map(row))
		: el('p', { class: 'muted' }, 'No relationships you may see.');
}

export function sightingRows(ss) {
	return ss.map(s => [s.first_seen || s.created || '', s.last_seen || '', String(s.count ?? ''),
		(s.where_sighted || []).join(', '), tlpBadge(s.tlp) || '']);
}

// "Who else saw this" of an indicator or an observed value, else nothing.
function whoSaw(o) {
	if (o.type === 'indicator') return whoSawSection({ indicator: o.id });
	const v = observedValue(o);
	return v ? whoSawSection({ value: v }) : null;
}

export async function objectView(main, id) {
	const r = await api.get('object', { id });
	const o = r.object, s = r.summary;
	const seen = whoSaw(o);
	const links = [];
	if (isAdversary(o.type))
		links.push(el('a', { href: '#/adversary/' + encodeURIComponent(o.id) }, 'Adversary page (ATT&CK matrix, graph)'));
	if (r.sightings.length)
		links.push(el('a', { href: '#/sightings/' + encodeURIComponent(o.id) }, 'Sightings timeline'));
	put(main,
		el('h1', {}, s.name || o.id, ' ', tlpBadge(s.tlp)),
		el('p', { class: 'muted' }, o.type, ' · ', o.id),
		links.length ? el('p', {}, links.map((a, i) => [i ? ' · ' : '', a])) : null,
		el('div', { class: 'cols' },
			el('section', { 'aria-labelledby': 'h-props' }, el('h2', { id: 'h-props' }, 'Properties'), properties(o)),
			el('section', { 'aria-labelledby': 'h-versions' },
				el('h2', { id: 'h-versions' }, `Versions (${r.versions.length})`), versions(r.versions))),
		el('section', { 'aria-labelledby': 'h-rels' },
			el('h2', { id: 'h-rels' }, `Relationships (${r.relationships.length})`), relationships(r.relationships)),
		el('section', { 'aria-labelledby': 'h-sight' },
			el('h2', { id: 'h-sight' }, `Sightings (${r.sightings.length})`),
			r.sightings.length ? table(null, ['First seen', 'Last seen', 'Count', 'Where', 'TLP'], sightingRows(r.sightings))
				: el('p', { class: 'muted' }, 'No sightings you may see.')),
		seen,
		el('section', { 'aria-labelledby': 'h-raw' },
			el('h2', { id: 'h-raw' }, 'Raw STIX'), el('pre', { id: 'raw' }, JSON.stringify(o, null, 2))));
}

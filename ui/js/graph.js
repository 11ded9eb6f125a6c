// graph.js — a relationship graph drawn by cytoscape.js (shipped in the
// binary, no CDN); labels are drawn on a canvas, never parsed as HTML.
import cytoscape from '/ui/vendor/cytoscape.esm.min.js';
import { el } from './dom.js';

const COLOURS = { 'intrusion-set': '#c0392b', 'threat-actor': '#c0392b', campaign: '#d35400',
	malware: '#8e44ad', tool: '#2c3e50', 'attack-pattern': '#2980b9', indicator: '#16a085' };

export async function drawGraph(box, graph, centre) {
	// cytoscape adds a <style> element unless one with this id exists; the
	// CSP forbids inline styles, so its one rule is in app.css instead
	if (!document.getElementById('__________cytoscape_stylesheet'))
		document.head.append(el('meta', { id: '__________cytoscape_stylesheet', name: 'cytoscape' }));
	const ids = new Set(graph.nodes.map(n => n.id));
	const cy = cytoscape({
		container: box,
		elements: [
			...graph.nodes.map(n => ({ data: { id: n.id, label: n.name || n.id, type: n.type || '' } })),
			...graph.edges.filter(e => ids.has(e.source) && ids.has(e.target))
				.map(e => ({ data: { id: 'e' + e.id + e.source + e.target, source: e.source, target: e.target, label: e.relationship_type } })),
		],
		style: [
			{ selector: 'node', style: { label: 'data(label)', 'font-size': 9, width: 14, height: 14,
				'background-color': n => COLOURS[n.data('type')] || '#7f8c8d', 'text-valign': 'bottom' } },
			{ selector: `node[id = "${centre.replace(/["\\]/g, '')}"]`, style: { width: 30, height: 30, 'font-size': 13 } },
			{ selector: 'edge', style: { width: 1, 'line-color': '#b0b7bf', 'curve-style': 'straight',
				'target-arrow-shape': 'triangle', 'target-arrow-color': '#b0b7bf', 'arrow-scale': .6 } },
		],
		layout: { name: 'concentric', concentric: n => n.id() === centre ? 3 : n.data('type') === 'attack-pattern' ? 1 : 2,
			levelWidth: () => 1, minNodeSpacing: 6, animate: false },
	});
	box.dataset.nodes = String(cy.nodes().length);
	box.dataset.edges = String(cy.edges().length);
	cy.on('tap', 'node', ev => { location.hash = '#/object/' + encodeURIComponent(ev.target.id()); });
	return cy;
}

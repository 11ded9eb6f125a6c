// wargame.js — #/wargame?adversary=ID: run a war game on one of the
// organisation's models against an adversary from the hub, and read its
// report (the HTML report of `wargame run`, in a sandboxed frame).
import * as api from './api.js';
import { el, put, status, table } from './dom.js';

function field(id, label, input) {
	input.id = id;
	input.name = id;
	return el('label', { for: id }, label, input);
}

export async function wargameView(main, params) {
	const [m, adv] = await Promise.all([api.get('wargame/models'),
		api.get('search', { type: 'intrusion-set', limit: 200 })]);
	const chosen = params.get('adversary') || '';
	if (chosen && !adv.results.some(a => a.id === chosen)) {
		const o = await api.get('object', { id: chosen });
		adv.results.unshift(o.summary);
	}
	const result = el('div', { id: 'wargame-result', 'aria-live': 'polite' });
	if (!m.models.length) {
		put(main, el('h1', {}, 'War games'),
			el('p', {}, 'Your organisation has no war-game model on this hub yet: the hub\'s operator keeps them (serve --wargame-models).'));
		return;
	}
	const model = el('select', {}, m.models.map(n => el('option', { value: n }, n)));
	const adversary = el('select', {}, adv.results.sort((a, b) => (a.name || '').localeCompare(b.name || ''))
		.map(a => el('option', { value: a.id, selected: a.id === chosen }, a.name || a.id)));
	const runs = el('input', { type: 'number', min: 1, max: m.max_runs, value: 1000 });
	const seed = el('input', { type: 'number', min: 0, value: 1 });
	const go = el('button', { type: 'submit' }, 'Run the war game');
	const form = el('form', { class: 'search', onsubmit: async ev => {
		ev.preventDefault();
		go.disabled = true;
		status('running…');
		put(result, el('p', { class: 'muted' }, 'Running the campaigns…'));
		try {
			const r = await api.post('wargame/run', { model: model.value, adversary: adversary.value,
				runs: Number(runs.value), seed: Number(seed.value) });
			put(result,
				el('h2', {}, `${r.model} against ${r.adversary} (${r.techniques} techniques, ${r.runs} campaigns)`),
				el('p', { id: 'p-any' }, `A crown jewel falls in ${(r.p_any * 100).toFixed(1)} % of the campaigns; `,
					`defenders detect ${r.detected} of ${r.runs}.`),
				table(null, ['Crown jewel', 'P(compromised)'], r.jewels.map(j => [j.name, j.p.toFixed(3)])),
				el('h2', {}, 'Report'),
				el('iframe', { class: 'report', title: 'War-game report', sandbox: '',
					src: '/ui/api/wargame/report?id=' + encodeURIComponent(r.id) }));
		} catch (e) {
			put(result, el('p', { class: 'error', role: 'alert' }, e.message));
		} finally {
			go.disabled = false;
			status('');
		}
	} },
	field('model', 'Model', model), field('adversary', 'Adversary', adversary),
	field('runs', 'Campaigns', runs), field('seed', 'Seed', seed), go);
	put(main, el('h1', {}, 'War games'),
		el('p', { class: 'muted' }, 'A simulation over your own model of your network: nothing touches a real network.'),
		form, result);
}

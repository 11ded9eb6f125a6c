// ui_browser.mjs — the web interface in a real browser: Debian's chromium,
// headless, driven by puppeteer-core (test_ui_browser.sh sets it up).
// Prints "PASS <what>" or "FAIL <what>: <why>" per check, and "INFO ..." lines.
//   env: BASE, UI_USER, UI_PASS, GROUP (name), GROUP_ID, TECHNIQUES (count),
//        RED_ID, RED_NAME, RED_REL, RED_MAL, XSS_ID, XSS_NAME, SEEN_ID, PROFILE (a fresh
//        folder), SHOT (screenshot path, optional)
import puppeteer from 'puppeteer-core';

const env = process.env;
const base = env.BASE + '/ui/';
let failures = 0;
function check(what, ok, why = '') {
	if (ok) console.log('PASS ' + what);
	else { failures++; console.log('FAIL ' + what + (why ? ': ' + why : '')); }
}

const browser = await puppeteer.launch({
	executablePath: env.CHROMIUM || '/usr/bin/chromium',
	headless: true,
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
		'--disable-background-networking', '--disable-component-update', '--disable-sync',
		'--ignore-certificate-errors', `--user-data-dir=${env.PROFILE}`],
});
const dialogs = [], errors = [];
try {
	const page = await browser.newPage();
	await page.setViewport({ width: 1400, height: 900 });
	page.on('dialog', async d => { dialogs.push(d.message()); await d.dismiss(); });
	page.on('pageerror', e => errors.push(e.message));
	// every CSP violation of every page is kept in the page
	await page.evaluateOnNewDocument(() => {
		window.__csp = [];
		document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
	});
	const csp = async where => {
		const v = await page.evaluate(() => window.__csp);
		check(`no CSP violation (${where})`, v.length === 0, v.join('; '));
	};
	const text = sel => page.$eval(sel, e => e.textContent);

	// ---- log in with the keyboard alone
	await page.goto(base, { waitUntil: 'networkidle0' });
	check('the login form has labelled fields', await page.$('label[for=user] #user') !== null &&
		await page.$('label[for=password] #password') !== null);
	await page.keyboard.type(env.UI_USER);	// the user field has the focus
	await page.keyboard.press('Tab');
	await page.keyboard.type('not-the-password');
	await page.keyboard.press('Enter');
	await page.waitForFunction(() => document.querySelector('.error')?.textContent.length > 0);
	check('a wrong password is refused', (await text('.error')).includes('Wrong user name or password'));
	await page.focus('#password');
	await page.keyboard.type(env.UI_PASS);
	await page.keyboard.press('Enter');
	await page.waitForSelector('#q');
	check('logged in, the search page', (await text('#who')).startsWith(env.UI_USER + ' ('));

	// ---- search the group and open it
	await page.type('#q', env.GROUP);
	await page.keyboard.press('Enter');
	await page.waitForSelector(`#results[data-q="${env.GROUP}"]`);
	const names = await page.$$eval('#results tbody tr', rs => rs.map(r => r.children[1].textContent));
	check(`search "${env.GROUP}" finds the group`, names.some(n => n.startsWith(env.GROUP)), names.join(' | '));
	await csp('search');
	await Promise.all([page.waitForSelector('#matrix'),
		page.click(`#results a[href="#/adversary/${env.GROUP_ID}"]`)]);
	const ms = Number(await page.$eval('#main', m => m.dataset.matrixMs));
	console.log(`INFO matrix rendered in ${ms} ms (request and drawing)`);
	const used = await page.$$eval('#matrix .used[data-id]', es => new Set(es.map(e => e.dataset.id)).size);
	check(`the matrix shows exactly ${env.TECHNIQUES} techniques used`, used === Number(env.TECHNIQUES),
		`${used} shown`);
	check('and says so', (await text('#technique-count')).startsWith(env.TECHNIQUES + ' techniques'));
	await page.waitForSelector('#graph canvas');
	const g = await page.$eval('#graph', e => [Number(e.dataset.nodes), Number(e.dataset.edges)]);
	check('the graph renders with nodes and edges', g[0] > 1 && g[1] > 0, g.join(' '));
	const gl = await page.$eval('#graph', e => e.getAttribute('aria-label'));
	check('the graph is labelled for screen readers', gl.includes(`${g[0]} objects`), gl);
	const soft = await page.$$eval('#main section table tbody tr', rs => rs.map(r => r.children[0].textContent));
	check('the XSS malware is listed as text', soft.includes(env.XSS_NAME), soft.join(' | '));
	await csp('adversary');
	if (env.SHOT) {
		await page.evaluate(() => window.scrollTo(0, 0));
		await page.screenshot({ path: env.SHOT });
	}

	// ---- the RED object: in no page, in no API call
	await page.evaluate(() => { location.hash = '#/search'; });
	await page.waitForSelector('#results[data-q=""]');
	await page.type('#q', env.RED_NAME);
	await page.keyboard.press('Enter');
	await page.waitForSelector(`#results[data-q="${env.RED_NAME}"]`);
	check('search for the RED object finds nothing', (await text('#results .count')) === '0 results',
		await text('#results .count'));
	await page.evaluate(id => { location.hash = '#/object/' + encodeURIComponent(id); }, env.RED_ID);
	await page.waitForFunction(() => document.querySelector('h1')?.textContent !== 'Search');
	check('its object page is "Not found"', (await text('h1')) === 'Not found');
	const api = await page.evaluate(async (id, name) => {
		const st = async u => (await fetch(u)).status;
		const found = async u => (await (await fetch(u)).json()).results.length;
		return [await st('/ui/api/object?id=' + id), await st('/ui/api/adversary?id=' + id),
			await found('/ui/api/search?q=' + encodeURIComponent(name)),
			await found('/ui/api/search?by=alias&q=' + encodeURIComponent(name)),
			await found('/ui/api/search?by=value&q=198.51.100.99'),
			await found('/ui/api/search?type=malware&limit=200')];
	}, env.RED_ID, env.RED_NAME);
	check('the API: object 404, adversary 404, no search hit', api.slice(0, 5).join(' ') === '404 404 0 0 0', api.join(' '));
	const grp = await page.evaluate(async id => await (await fetch('/ui/api/adversary?id=' + id)).text(), env.GROUP_ID);
	check('the RED relationship and its malware are not in the group\'s page',
		!grp.includes(env.RED_REL) && !grp.includes(env.RED_MAL) && !grp.includes(env.RED_ID));

	// ---- the XSS objects stay text
	await page.evaluate(id => { location.hash = '#/object/' + encodeURIComponent(id); }, env.XSS_ID);
	await page.waitForSelector('#raw');
	check('the XSS name is shown as text', (await text('h1')).startsWith(env.XSS_NAME));
	check('its description too', (await text('#raw')).includes('<script>alert(2)</script>'));
	const inert = await page.evaluate(() => [document.querySelectorAll('main img').length,
		[...document.scripts].filter(s => s.textContent.includes('alert')).length, window.__xss === undefined]);
	check('no element was made from it (no img, no script)', inert.join(' ') === '0 0 true', inert.join(' '));
	await page.evaluate(() => { location.hash = '#/search?q=' + encodeURIComponent('<img'); });
	await page.waitForSelector('#results tbody tr');
	await csp('xss pages');
	check('no dialog opened, no script ran', dialogs.length === 0, dialogs.join(' | '));

	// ---- who else saw this: named where allowed, nothing above AMBER
	await page.evaluate(id => { location.hash = '#/object/' + encodeURIComponent(id); }, env.SEEN_ID);
	await page.waitForSelector('#who-saw[data-state=done]');
	const seen = await text('#seen-summary');
	check('"who else saw this" counts 3 members, 3 sightings, 13 events', seen.startsWith(
		'3 members sighted it: 3 sightings, 13 events, first seen 2024-03-01T00:00:00.000Z, last seen 2024-03-03T12:00:00.000Z'), seen);
	const who = await page.$$eval('#who-saw tbody tr', rs => rs.map(r => [...r.children].map(c => c.textContent).join(' / ')));
	check('the analyst\'s own, bank-b by name, bank-c only counted', who.join(' | ') ===
		'bank-a (you) / 1 / 1 / 2024-03-01T00:00:00.000Z / 2024-03-01T12:00:00.000Z | ' +
		'bank-b / 1 / 5 / 2024-03-02T00:00:00.000Z / 2024-03-02T12:00:00.000Z | ' +
		'1 member not named (they do not allow it) / 1 / 7 / 2024-03-03T00:00:00.000Z / 2024-03-03T12:00:00.000Z', who.join(' | '));
	const whole = await text('#who-saw');
	check('no bank-c, no RED count on the page', !whole.includes('bank-c') && !whole.includes('900'), whole);
	await csp('who else saw this');

	// ---- a war game on the organisation's model against the group
	await page.evaluate(id => { location.hash = '#/wargame?adversary=' + encodeURIComponent(id); }, env.GROUP_ID);
	await page.waitForSelector('#model');
	check('the organisation\'s model is offered', (await page.$$eval('#model option', os => os.map(o => o.value))).join() === 'bank');
	check('the group is the adversary chosen', await page.$eval('#adversary', s => s.value) === env.GROUP_ID);
	await page.$eval('#runs', i => { i.value = '200'; });
	await page.click('#wargame-result ~ form button, form button[type=submit]');
	await page.waitForSelector('#wargame-result iframe', { timeout: 60000 });
	check('the war game reports its odds', /A crown jewel falls in [0-9.]+ %/.test(await text('#p-any')));
	const frame = await (await page.$('#wargame-result iframe')).contentFrame();
	await frame.waitForSelector('h1');
	const h = await frame.$eval('h1', e => e.textContent);
	check('its HTML report is shown, sandboxed', h.startsWith('War game:') &&
		await page.$eval('#wargame-result iframe', f => f.getAttribute('sandbox')) === '', h);
	await csp('war game');

	// ---- CSRF, then logout
	const csrf = await page.evaluate(async () => [(await fetch('/ui/api/logout', { method: 'POST' })).status,
		(await fetch('/ui/api/session')).status]);
	check('a change without the CSRF token is refused and the session stays', csrf.join(' ') === '403 200', csrf.join(' '));
	const cookie = (await page.cookies()).find(c => c.name === '__Host-cybercell');
	check('the cookie is HttpOnly, Secure, SameSite=Strict', cookie && cookie.httpOnly && cookie.secure &&
		cookie.sameSite === 'Strict');
	const script = await page.evaluate(() => document.cookie);
	check('scripts cannot read it', !script.includes('__Host-cybercell'));
	await page.click('#logout');
	await page.waitForSelector('#user');
	check('logout shows the login form', (await text('.error')).includes('logged out'));
	const after = await page.evaluate(async () => (await fetch('/ui/api/session')).status);
	check('the session has ended', after === 401, String(after));
	const replay = await fetch(env.BASE + '/ui/api/session', { headers: { Cookie: `__Host-cybercell=${cookie.value}` } });
	check('the old cookie replayed: 401', replay.status === 401, String(replay.status));
	check('no script error on any page', errors.length === 0, errors.join(' | '));
} catch (e) {
	failures++;
	console.log('FAIL the browser test stopped: ' + (e && e.stack || e));
} finally {
	await browser.close();
}
process.exit(failures ? 1 : 0);

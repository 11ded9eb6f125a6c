// ui_render.mjs — the adversary page in Debian's chromium (headless,
// puppeteer-core): log in, then open the page RUNS times and print the
// time from the request to the matrix drawn (the page's own measure), one
// number (ms) a line.   env: BASE, UI_USER, UI_PASS, GROUP_ID, RUNS, PROFILE
import puppeteer from 'puppeteer-core';

const env = process.env;
const browser = await puppeteer.launch({
	executablePath: '/usr/bin/chromium', headless: true,
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
		'--disable-background-networking', '--disable-component-update', '--disable-sync',
		'--ignore-certificate-errors', `--user-data-dir=${env.PROFILE}`],
});
try {
	const page = await browser.newPage();
	await page.setViewport({ width: 1400, height: 900 });
	await page.goto(env.BASE + '/ui/', { waitUntil: 'networkidle0' });
	await page.type('#user', env.UI_USER);
	await page.type('#password', env.UI_PASS);
	await Promise.all([page.waitForSelector('#q'), page.keyboard.press('Enter')]);
	for (let i = 0; i < Number(env.RUNS || 5); i++) {
		await page.evaluate(() => { location.hash = '#/search'; });
		await page.waitForSelector('#q');
		await page.evaluate(id => { delete document.getElementById('main').dataset.matrixMs;
			location.hash = '#/adversary/' + encodeURIComponent(id); }, env.GROUP_ID);
		await page.waitForFunction(() => document.getElementById('main').dataset.matrixMs, { timeout: 60000 });
		console.log(await page.$eval('#main', m => m.dataset.matrixMs));
	}
} finally {
	await browser.close();
}

import type { Page } from '@playwright/test';
import { TOTP } from 'otpauth';
import { toString as qrSvg } from 'qrcode';
import { callOk, contractClient, expect, test } from './fixtures';

// Each test signs people in through real forms on a shared machine: room for a slow moment.
test.describe.configure({ timeout: 120_000 });

const EDITOR = { username: 'eddie', password: 'editor-password-for-tests', name: 'Eddie Editor' };

/** Signs in through the form, as a person at the desk would. */
async function signInThroughForm(page: Page, url: string, who: typeof EDITOR) {
  await page.goto(url);
  await page.getByTestId('signin-username').fill(who.username);
  await page.getByTestId('signin-password').fill(who.password);
  await page.getByTestId('signin-submit').click();
  await expect(page.getByTestId('person-badge')).toBeVisible();
}

/** Calls a contract method over a WebSocket the page opens itself (its cookie goes along). */
function callFromPage(page: Page, method: string, params: unknown) {
  return page.evaluate(
    ({ method, params }) =>
      new Promise<{ ok: boolean; error?: { code: string } }>((resolve, reject) => {
        const ws = new WebSocket(`ws://${window.location.host}/api/ws`);
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, method, params }));
        ws.onmessage = (event) => {
          const frame = JSON.parse(String(event.data)) as { id?: number };
          if (frame.id !== 1) return;
          ws.close();
          resolve(frame as { ok: boolean; error?: { code: string } });
        };
        ws.onerror = () => reject(new Error('the socket failed'));
      }),
    { method, params },
  );
}

test.describe('first run', () => {
  test.use({ airdeckAdmin: false, airdeckSignedIn: false });

  test('the set-up link creates the first admin and signs them in', async ({ airdeck, page }) => {
    expect(airdeck.setupUrl).toMatch(/\?setup=/);
    await page.goto(airdeck.setupUrl!);
    await expect(page.getByRole('heading', { name: 'Create the first admin' })).toBeVisible();
    // The one-time code leaves the address bar at once.
    await expect(page).not.toHaveURL(/setup=/);
    await page.getByTestId('setup-display-name').fill('Station Chief');
    await page.getByTestId('setup-username').fill('chief');
    await page.getByTestId('setup-password').fill('first-admin-password');
    await page.getByTestId('setup-repeat').fill('first-admin-password');
    await page.getByTestId('setup-submit').click();
    await expect(page.getByTestId('person-name')).toHaveText('Station Chief');
    await expect(page.getByTestId('nav-people')).toBeVisible();
    await expect(page.getByTestId('nav-audit')).toBeVisible();

    // The new admin sees themself on the People screen.
    await page.getByTestId('nav-people').click();
    const row = page.locator('[data-testid="person-row"][data-username="chief"]');
    await expect(row).toContainText('Admin');
    await expect(row.getByTestId('person-status')).toHaveText('Active');
  });
});

test('an admin adds an editor who gets only an editor’s rights, then revokes them', async ({
  airdeck,
  browser,
  page,
}) => {
  // The admin adds the editor on the People screen.
  await page.goto(`${airdeck.url}#/people`);
  await page.getByTestId('person-add').click();
  const dialog = page.getByTestId('person-dialog');
  await dialog.getByTestId('person-display-name').fill(EDITOR.name);
  await dialog.getByTestId('person-username').fill(EDITOR.username);
  await dialog.getByTestId('person-password').fill(EDITOR.password);
  await dialog.getByTestId('person-role').selectOption('editor');
  await expect(dialog.getByTestId('person-scope-all')).toBeChecked();
  await dialog.getByTestId('person-submit').click();
  await expect(dialog).toBeHidden();
  const row = page.locator(`[data-testid="person-row"][data-username="${EDITOR.username}"]`);
  await expect(row).toContainText('Editor');
  await expect(row).toContainText('All channels');
  await expect(row).toContainText('Never');

  // The last admin cannot be disabled: the refusal says why.
  const adminRow = page.locator('[data-testid="person-row"][data-username="admin"]');
  await adminRow.getByTestId('person-more').click();
  await page.getByTestId('person-menu-disable').click();
  await expect(page.getByTestId('people-refusal')).toContainText('last admin');
  await expect(adminRow.getByTestId('person-status')).toHaveText('Active');

  // The editor signs in from another browser.
  const editorContext = await browser.newContext();
  try {
    const editorPage = await editorContext.newPage();
    await signInThroughForm(editorPage, airdeck.url, EDITOR);
    await expect(editorPage.getByTestId('nav-station')).toBeVisible();
    await expect(editorPage.getByTestId('nav-account')).toBeVisible();
    for (const hidden of ['nav-settings', 'nav-people', 'nav-audit'])
      await expect(editorPage.getByTestId(hidden)).toHaveCount(0);

    // An admin method straight over the socket is refused before it runs.
    const answer = await callFromPage(editorPage, 'personCreate', {
      username: 'sneaky',
      displayName: 'Sneaky',
      password: 'sneaky-password-1',
      role: 'admin',
    });
    expect(answer.ok).toBe(false);
    expect(answer.error?.code).toBe('forbidden');

    // The People screen follows the sign-in live: last sign-in filled, a session listed.
    await expect(row).not.toContainText('Never');
    await row.getByTestId('person-select').click();
    const sessions = page.getByTestId('person-sessions');
    await expect(sessions.getByTestId('session-row')).toHaveCount(1);
    await expect(sessions.getByTestId('session-row')).toContainText('Browser');

    // Revoking the session signs the editor's window out at once. Both ends are timed inside
    // the browser (the click event, the form's first paint into the DOM), so the figure is the
    // app's and not the test driver's on a busy machine.
    await editorPage.evaluate(() => {
      const w = window as Window & { signInShownAt?: Promise<number> };
      w.signInShownAt = new Promise<number>((resolve) => {
        const observer = new MutationObserver(() => {
          if (!document.querySelector('[data-testid="signin-username"]')) return;
          observer.disconnect();
          resolve(Date.now());
        });
        observer.observe(document.body, { childList: true, subtree: true });
      });
    });
    const revoke = sessions.getByTestId('session-revoke');
    await revoke.evaluate((button) => {
      button.addEventListener(
        'click',
        () => ((window as Window & { revokedAt?: number }).revokedAt = Date.now()),
        { capture: true, once: true },
      );
    });
    await revoke.click();
    await expect(editorPage.getByTestId('signin-username')).toBeVisible({ timeout: 10_000 });
    const clickedAt = await page.evaluate(
      () => (window as Window & { revokedAt?: number }).revokedAt ?? Number.NaN,
    );
    const shownAt = await editorPage.evaluate(
      () => (window as Window & { signInShownAt?: Promise<number> }).signInShownAt!,
    );
    expect(shownAt - clickedAt).toBeLessThan(1000);
    await expect(editorPage.getByTestId('auth-notice')).toContainText('session has ended');
    await expect(sessions.getByTestId('session-row')).toHaveCount(0);
  } finally {
    await editorContext.close();
  }
});

test('the audit log lists changes live, filters them and exports CSV', async ({
  airdeck,
  page,
}) => {
  await page.goto(`${airdeck.url}#/audit`);
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  const rows = page.getByTestId('audit-row');
  await expect(rows.first()).toBeVisible();

  // A change made in another window appears on top without a reload.
  const other = await airdeck.newContext();
  try {
    const otherPage = await other.newPage();
    await otherPage.goto(`${airdeck.url}#/people`);
    await otherPage.getByTestId('person-add').click();
    await otherPage.getByTestId('person-display-name').fill('Vera Viewer');
    await otherPage.getByTestId('person-username').fill('vera');
    await otherPage.getByTestId('person-password').fill('viewer-password-1');
    await otherPage.getByTestId('person-role').selectOption('viewer');
    await otherPage.getByTestId('person-submit').click();
    await expect(otherPage.getByTestId('person-dialog')).toBeHidden();
  } finally {
    await other.close();
  }
  await expect(rows.first()).toHaveAttribute('data-action', 'personCreate');
  await expect(rows.first()).toContainText('vera');

  // Filtering by action asks the core again.
  await page.getByTestId('audit-filter-action').selectOption('authSignIn');
  await expect(rows.first()).toHaveAttribute('data-action', 'authSignIn');
  await expect(
    page.locator('[data-testid="audit-row"]:not([data-action="authSignIn"])'),
  ).toHaveCount(0);

  // Export downloads the file the core names.
  const downloading = page.waitForEvent('download');
  await page.getByTestId('audit-export').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^airdeck-audit-\d{4}-\d{2}-\d{2}\.csv$/);
});

test('a person turns on the second factor from a QR code, and the next sign-in asks for a code', async ({
  airdeck,
  browser,
}) => {
  const client = await contractClient(airdeck);
  const who = { username: 'tara', password: 'second-factor-password', name: 'Tara' };
  await callOk(client, 'personCreate', {
    username: who.username,
    displayName: who.name,
    password: who.password,
    role: 'operator',
  });
  client.close();
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await signInThroughForm(page, airdeck.url, who);
    await page.getByTestId('nav-account').click();
    await page.getByTestId('totp-enable').click();
    const dialog = page.getByTestId('totp-dialog');
    const uri = (await dialog.getByTestId('totp-uri').textContent())!.trim();
    // The QR code shows exactly the link the dialog names (drawn the same way here).
    const qr = dialog.getByTestId('totp-qr');
    await expect(qr).toBeVisible();
    const svg = await qrSvg(uri, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 4,
      color: { dark: '#000000', light: '#ffffff' },
    });
    expect(decodeURIComponent((await qr.getAttribute('src'))!.split(',').slice(1).join(','))).toBe(
      svg,
    );
    const secret = (await dialog.getByTestId('totp-secret').textContent())!.trim();
    expect(uri).toContain(`secret=${secret}`);
    const totp = new TOTP({ secret });
    await dialog.getByTestId('totp-code').fill(totp.generate());
    await dialog.getByTestId('totp-confirm').click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('totp-state')).toHaveText('on');

    // Signed out, the password alone is not enough: the form asks for the code.
    await page.getByTestId('sign-out').click();
    await page.getByTestId('signin-username').fill(who.username);
    await page.getByTestId('signin-password').fill(who.password);
    await page.getByTestId('signin-submit').click();
    await expect(page.getByTestId('signin-totp')).toBeVisible();
    await expect(page.getByTestId('person-badge')).toHaveCount(0);
    await page.getByTestId('signin-totp').fill(totp.generate());
    await page.getByTestId('signin-submit').click();
    await expect(page.getByTestId('person-badge')).toBeVisible();
  } finally {
    await context.close();
  }
});

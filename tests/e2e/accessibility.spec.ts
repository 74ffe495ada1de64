import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startLiveHlsSource } from '../helpers/live-hls-source';
import { callOk, contractClient, expect, makeMediaDir, test } from './fixtures';
import { openScreen, raiseOfflineAlarm, SCREENS, seedChannel } from './screens';

test.use({ viewport: { width: 1440, height: 900 } });

/**
 * Every screen, and every kind of overlay on them, passes axe-core with no serious or critical
 * violation. Nothing is excluded: a failure here is fixed in the app.
 */
async function expectAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 4)
          .map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`)
          .join(' | ')}`,
    );
  expect(bad, `axe on ${what}`).toEqual([]);
}

test('every screen passes axe with no serious or critical violation', async ({ airdeck, page }) => {
  // Fifteen screens under axe; a shared machine under load needs the room.
  test.setTimeout(300_000);
  const client = await contractClient(airdeck);
  try {
    // Enough of a station for every screen to show its real content: a channel on air and an
    // active alarm.
    const channel = await seedChannel(client);
    await callOk(client, 'playoutStart', { channelId: channel.id });
    await raiseOfflineAlarm(client);
    for (const screen of SCREENS) {
      await openScreen(page, airdeck.url, screen.id);
      await expectAccessible(page, `the ${screen.label} screen`);
    }
  } finally {
    client.close();
  }
});

test('dialogs and menus pass axe while open', async ({ airdeck, page }) => {
  test.setTimeout(300_000);
  const client = await contractClient(airdeck);
  try {
    const channel = await seedChannel(client);
    await callOk(client, 'playoutStart', { channelId: channel.id });

    // Library: the folder context menu, then the new-folder dialog.
    await openScreen(page, airdeck.url, 'library');
    const root = page.getByTestId('folder-tree').getByRole('treeitem').first();
    await root.click({ button: 'right' });
    await expect(page.getByTestId('context-menu')).toBeVisible();
    await expectAccessible(page, 'the library context menu');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('context-menu')).toBeHidden();
    await page.getByTestId('menu-new-folder').waitFor({ state: 'detached' });
    await page.keyboard.press('Control+Shift+N');
    await expect(page.getByTestId('folder-dialog')).toBeVisible();
    await expectAccessible(page, 'the new-folder dialog');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('folder-dialog')).toBeHidden();

    // The keyboard-shortcut overlay.
    await page.keyboard.press('?');
    await expect(page.getByTestId('shortcuts-help')).toBeVisible();
    await expectAccessible(page, 'the shortcut overlay');
    await page.keyboard.press('Escape');

    // Schedule: the fill dialog.
    await openScreen(page, airdeck.url, 'schedule');
    await page.getByRole('button', { name: 'Fill day' }).click();
    await expect(page.getByTestId('fill-dialog')).toBeVisible();
    await expectAccessible(page, 'the schedule fill dialog');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('fill-dialog')).toBeHidden();

    // Schedule: the channels dialog.
    await page.getByTestId('channels-button').click();
    await expect(page.getByTestId('channels-panel')).toBeVisible();
    await expectAccessible(page, 'the channels dialog');
    await page.keyboard.press('Escape');

    // On air: the stop confirmation.
    await openScreen(page, airdeck.url, 'channels-control');
    await page.getByTestId('action-stop').click();
    await expect(page.getByTestId('stop-dialog')).toBeVisible();
    await expectAccessible(page, 'the on-air stop confirmation');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('stop-dialog')).toBeHidden();
    await page.getByTestId('action-break').click();
    await expect(page.getByTestId('break-dialog')).toBeVisible();
    await expectAccessible(page, 'the break-now dialog');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('break-dialog')).toBeHidden();

    // People: the add-person dialog, with an operator's channel choice showing.
    await openScreen(page, airdeck.url, 'people');
    await page.getByTestId('person-add').click();
    await expect(page.getByTestId('person-dialog')).toBeVisible();
    await page.getByTestId('person-role').selectOption('operator');
    await page.getByTestId('person-scope-all').uncheck();
    await expect(page.getByTestId(`person-scope-channel-${channel.id}`)).toBeVisible();
    await expectAccessible(page, 'the add-person dialog');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('person-dialog')).toBeHidden();

    // People: a person's sessions.
    await page.getByTestId('person-select').first().click();
    await expect(page.getByTestId('session-row').first()).toBeVisible();
    await expectAccessible(page, 'the people screen with sessions');

    // My account: the second-factor set-up with its secret shown, then the password dialog.
    await openScreen(page, airdeck.url, 'account');
    await page.getByTestId('totp-enable').click();
    await expect(page.getByTestId('totp-secret')).toBeVisible();
    await expectAccessible(page, 'the second-factor dialog');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('totp-dialog')).toBeHidden();
    await page.getByTestId('password-change').click();
    await expect(page.getByTestId('password-dialog')).toBeVisible();
    await expectAccessible(page, 'the change-password dialog');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('password-dialog')).toBeHidden();

    // Shifts: the new-shift dialog (with its assignments) and the time-off dialog.
    await openScreen(page, airdeck.url, 'shifts');
    await page.getByTestId('shift-new').click();
    await expect(page.getByTestId('shift-dialog')).toBeVisible();
    await expect(page.getByTestId('shift-assignment')).toBeVisible();
    await expectAccessible(page, 'the new-shift dialog');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('shift-dialog')).toBeHidden();
    await page.keyboard.press('o');
    await expect(page.getByTestId('timeoff-dialog')).toBeVisible();
    await expectAccessible(page, 'the time-off dialog');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('timeoff-dialog')).toBeHidden();

    // Reports: the save-as-template dialog.
    await openScreen(page, airdeck.url, 'reports');
    await page.getByTestId('report-save-template').click();
    await expect(page.getByTestId('report-template-dialog')).toBeVisible();
    await expectAccessible(page, 'the report template dialog');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('report-template-dialog')).toBeHidden();

    // Reports: a schedule in its table (with a history row), then the schedule dialog.
    const template = await callOk<{ id: number }>(client, 'reportTemplateSave', {
      name: 'Morning desk',
      periodDays: 1,
      format: 'pdf',
    });
    const schedule = await callOk<{ id: number }>(client, 'reportScheduleSave', {
      templateId: template.id,
      frequency: 'weekly',
      weekday: 1,
      time: '06:00',
      target: { kind: 'folder', folder: join(airdeck.dataDir, 'reports') },
    });
    await callOk(client, 'reportScheduleRunNow', { id: schedule.id });
    await openScreen(page, airdeck.url, 'reports');
    await expect(page.getByTestId('report-schedules').getByRole('row')).toHaveCount(2);
    await expect(page.getByTestId('report-history')).toContainText('Done');
    await expectAccessible(page, 'the reports screen with a schedule');
    await page.getByTestId('report-schedule-new').click();
    await expect(page.getByTestId('report-schedule-dialog')).toBeVisible();
    await page.getByTestId('report-schedule-frequency').selectOption('weekly');
    await expectAccessible(page, 'the report schedule dialog');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('report-schedule-dialog')).toBeHidden();

    // Wall: the outside streams dialog.
    await openScreen(page, airdeck.url, 'wall');
    await page.getByTestId('wall-sources-open').click();
    await expect(page.getByTestId('wall-sources')).toBeVisible();
    await expectAccessible(page, 'the wall outside-streams dialog');
    await page.keyboard.press('Escape');

    // The review desk's note dialog needs a recorded frame on screen.
    const dir = makeMediaDir();
    const live = await startLiveHlsSource(dir);
    try {
      const recorded = await callOk<{ id: number }>(client, 'recorderSourceAdd', {
        name: 'Outside',
        url: live.url('outside'),
      });
      await callOk(client, 'noteTemplateSave', {
        name: 'Check',
        fields: [
          { key: 'kind', label: 'Kind', kind: 'pick', required: true, options: ['Ad', 'News'] },
          { key: 'brand', label: 'Brand', kind: 'text' },
        ],
      });
      await expect
        .poll(
          async () =>
            (await callOk<{ sources: { segments: number }[] }>(client, 'recorderSourcesList', {}))
              .sources[0]?.segments ?? 0,
          { timeout: 30_000 },
        )
        .toBeGreaterThan(2);
      await openScreen(page, airdeck.url, 'review');
      await page.getByTestId('review-pick').first().selectOption(String(recorded.id));
      await expect(page.locator('[data-testid="review-tile"][data-index="0"]')).toHaveAttribute(
        'data-air-time',
        /\d/,
        { timeout: 30_000 },
      );
      await page.keyboard.press('n');
      await expect(page.getByTestId('note-dialog')).toBeVisible();
      await expectAccessible(page, 'the review note dialog');
      await page.keyboard.press('Escape');
    } finally {
      await live.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    client.close();
  }
});

test('the review jobs panel with a batch of clips and their deliveries passes axe', async ({
  airdeck,
  page,
}) => {
  test.setTimeout(180_000);
  const client = await contractClient(airdeck);
  const dir = makeMediaDir();
  const live = await startLiveHlsSource(dir);
  try {
    const recorded = await callOk<{ id: number }>(client, 'recorderSourceAdd', {
      name: 'Outside',
      url: live.url('outside'),
    });
    const folder = join(airdeck.dataDir, 'import', 'a11y-clips');
    mkdirSync(folder, { recursive: true });
    await callOk(client, 'clipTargetAdd', { kind: 'folder', name: 'Suite', folder });
    await expect
      .poll(
        async () =>
          (await callOk<{ sources: { segments: number }[] }>(client, 'recorderSourcesList', {}))
            .sources[0]?.segments ?? 0,
        { timeout: 30_000 },
      )
      .toBeGreaterThan(4);
    const { sources } = await callOk<{ sources: { lastAt: number }[] }>(
      client,
      'recorderSourcesList',
      {},
    );
    await callOk(client, 'reviewClipBatch', {
      sourceIds: [recorded.id],
      at: sources[0]!.lastAt - 2000,
      beforeMs: 500,
      afterMs: 500,
    });
    await openScreen(page, airdeck.url, 'review');
    await page.getByTestId('review-pick').first().selectOption(String(recorded.id));
    await expect(page.getByTestId('review-batch')).toHaveAttribute('data-state', 'done', {
      timeout: 60_000,
    });
    // The folder goes away: the delivery fails, says why and offers a retry.
    rmSync(folder, { recursive: true, force: true });
    await page.getByTestId('review-deliver').click();
    await expect(page.getByTestId('review-deliver-menu')).toBeVisible();
    await expectAccessible(page, 'the clip delivery menu');
    await page.getByRole('menuitem', { name: /Suite/ }).click();
    await expect(page.getByTestId('review-delivery')).toHaveAttribute('data-state', 'failed', {
      timeout: 30_000,
    });
    await expect(page.getByTestId('review-delivery')).toContainText('does not exist');
    await expect(page.getByTestId('review-delivery-retry')).toBeVisible();
    await expectAccessible(page, 'the review jobs panel with a batch and a failed delivery');

    // The delivery targets and the recordings' disk threshold, for those who manage settings.
    await page.getByTestId('review-targets-open').click();
    const targets = page.getByTestId('clip-targets-dialog');
    await expect(targets).toBeVisible();
    await expect(targets.getByTestId('clip-target-row')).toHaveCount(1);
    await targets.getByLabel('Kind').selectOption('s3');
    await expectAccessible(page, 'the clip delivery dialog');
    await page.keyboard.press('Escape');
    await expect(targets).toBeHidden();
  } finally {
    client.close();
    await live.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the API keys dialogs pass axe, and a new key is shown once', async ({ airdeck, page }) => {
  test.setTimeout(120_000);
  await openScreen(page, airdeck.url, 'settings');
  const panel = page.getByTestId('api-keys');
  await panel.getByTestId('api-key-new').click();
  await expect(page.getByTestId('api-key-create-dialog')).toBeVisible();
  await page.getByTestId('api-key-name').fill('Guide publisher');
  await expectAccessible(page, 'the new API key dialog');
  await page.getByTestId('api-key-create-submit').click();
  await expect(page.getByTestId('api-key-secret-dialog')).toBeVisible();
  await expect(page.getByTestId('api-key-secret')).toHaveValue(/^ak_test_[0-9a-f]{48}$/);
  await expectAccessible(page, 'the new key secret dialog');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('api-key-secret-dialog')).toBeHidden();
  // The list shows the prefix only, never the secret.
  await expect(panel.getByTestId('api-keys-table')).toContainText('Guide publisher');

  await panel.getByRole('button', { name: 'Usage of Guide publisher' }).click();
  await expect(page.getByTestId('api-key-usage-dialog')).toBeVisible();
  await expectAccessible(page, 'the API key usage dialog');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('api-key-usage-dialog')).toBeHidden();

  await panel.getByRole('button', { name: 'Webhooks of Guide publisher' }).click();
  await expect(page.getByTestId('api-webhooks-dialog')).toBeVisible();
  await expectAccessible(page, 'the API key webhooks dialog');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('api-webhooks-dialog')).toBeHidden();

  await panel.getByRole('button', { name: 'Revoke Guide publisher' }).click();
  await expectAccessible(page, 'the revoke API key dialog');
  await page.getByTestId('api-key-revoke-confirm').click();
  await expect(panel.getByTestId('api-keys-table')).toContainText('Revoked');
});

test('the subscriber dialogs pass axe; a key is shown once and can be revoked', async ({
  airdeck,
  page,
}) => {
  // Five axe passes over the whole Settings screen; a shared machine under load needs the room.
  test.setTimeout(300_000);
  const client = await contractClient(airdeck);
  try {
    await seedChannel(client);
  } finally {
    client.close();
  }
  await openScreen(page, airdeck.url, 'settings');
  const panel = page.getByTestId('subscribers');
  await expect(panel.getByTestId('subscriber-new')).toBeDisabled();

  await panel.getByTestId('subscriber-plan-new').click();
  await expect(page.getByTestId('subscriber-plan-dialog')).toBeVisible();
  await page.getByTestId('subscriber-plan-name').fill('Basic');
  await page.getByTestId('subscriber-plan-dialog').getByRole('checkbox').first().check();
  await page.getByTestId('subscriber-plan-streams').fill('2');
  await expectAccessible(page, 'the subscription plan dialog');
  await page.getByTestId('subscriber-plan-submit').click();
  await expect(page.getByTestId('subscriber-plan-dialog')).toBeHidden();
  await expect(panel.getByTestId('subscriber-plans-table')).toContainText('Basic');

  await panel.getByTestId('subscriber-new').click();
  await expect(page.getByTestId('subscriber-create-dialog')).toBeVisible();
  await page.getByTestId('subscriber-name').fill('Flat 4B');
  await expectAccessible(page, 'the new subscriber dialog');
  await page.getByTestId('subscriber-create-submit').click();
  await expect(page.getByTestId('subscriber-secret-dialog')).toBeVisible();
  const secret = await page.getByTestId('subscriber-secret').inputValue();
  expect(secret).toMatch(/^sub_[0-9a-f]{40}$/);
  await expect(page.getByTestId('subscriber-playlist-url')).toHaveValue(
    `${new URL(airdeck.url).origin}/sub/${secret}/playlist.m3u`,
  );
  await expectAccessible(page, 'the new subscriber key dialog');
  // The playlist answers with the plan's channel.
  const playlist = await page.request.get(
    `${new URL(airdeck.url).origin}/sub/${secret}/playlist.m3u`,
  );
  expect(playlist.status()).toBe(200);
  expect(await playlist.text()).toContain(`/index.m3u8?key=${secret}`);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('subscriber-secret-dialog')).toBeHidden();
  // Shown once: the list has the prefix only.
  await expect(panel.getByTestId('subscribers-table')).toContainText('Flat 4B');
  await expect(panel.getByTestId('subscribers-table')).toContainText(`${secret.slice(0, 10)}…`);
  await expect(panel).not.toContainText(secret);

  await panel.getByRole('button', { name: 'Usage of Flat 4B' }).click();
  await expect(page.getByTestId('subscriber-usage-dialog')).toBeVisible();
  await expect(page.getByTestId('subscriber-streams-now')).toContainText('Streams now: 0');
  await expectAccessible(page, 'the subscriber usage dialog');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('subscriber-usage-dialog')).toBeHidden();

  await panel.getByRole('button', { name: 'Revoke Flat 4B' }).click();
  await expectAccessible(page, 'the revoke subscriber dialog');
  await page.getByTestId('subscriber-revoke-confirm').click();
  await expect(panel.getByTestId('subscribers-table')).toContainText('Revoked');
  const refused = await page.request.get(
    `${new URL(airdeck.url).origin}/sub/${secret}/playlist.m3u`,
  );
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { code: string }).code).toBe('subscription_revoked');
});

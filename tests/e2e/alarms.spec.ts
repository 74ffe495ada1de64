import { expect, test } from './fixtures';

// An outside stream nobody serves (port 9, discard: connection refused at once) is the
// deterministic alarm: its detector raises `offline` on the first failed open.
const DEAD_URL = 'http://127.0.0.1:9/none/index.m3u8';

test('an offline outside stream raises an alarm in every window; one acknowledgement silences it everywhere', async ({
  airdeck,
}) => {
  const context = await airdeck.newContext();
  const alarms = await context.newPage();
  const dashboard = await context.newPage();
  await alarms.goto(`${airdeck.url}#/alarms`);
  await dashboard.goto(`${airdeck.url}#/dashboard`);
  await expect(alarms.getByTestId('alarms-screen')).toBeVisible();
  await expect(dashboard.getByTestId('dashboard-screen')).toBeVisible();
  await expect(alarms.getByTestId('alarms-none')).toBeVisible();
  await expect(dashboard.getByTestId('dash-alarms-active')).toHaveText('0');
  // Live figures from the core (disk of the data folder, CPU of the core).
  await expect(dashboard.getByTestId('dash-disk-free')).toHaveText(/\d/);
  await expect(dashboard.getByTestId('dash-cpu')).toHaveText(/\d+ %/);

  // A URL that is not HLS over http(s) is refused before it reaches the core.
  await alarms.getByLabel('Stream name').fill('Remote feed');
  await alarms.getByLabel('Stream URL').fill('rtmp://example.com/live');
  await expect(
    alarms.getByText('only http:// and https:// HLS streams can be monitored'),
  ).toBeVisible();
  await alarms.getByLabel('Stream URL').fill(DEAD_URL);
  await alarms.getByRole('button', { name: 'Add' }).click();
  await expect(alarms.getByTestId('source-probe')).toContainText(/could not be read: .*refused/i);
  await expect(alarms.getByTestId('source-row')).toContainText('Remote feed');
  await expect(alarms.getByTestId('source-row')).toContainText('offline');

  // Raised: both windows show it, needing attention.
  const row = alarms.getByTestId('alarm-row');
  await expect(row).toHaveAttribute('data-kind', 'offline');
  await expect(row).toHaveAttribute('data-attention', 'true');
  await expect(row).toContainText('Remote feed');
  const elsewhere = dashboard.getByTestId('alarm-row');
  await expect(elsewhere).toHaveAttribute('data-attention', 'true');
  await expect(dashboard.getByTestId('dash-alarms-active')).toHaveText('1');
  await expect(
    alarms.getByTestId('alarm-log-row').filter({ has: alarms.getByText('active') }),
  ).toHaveCount(1);

  // Acknowledged in one window: the other stops flashing too, without a reload.
  await elsewhere.getByTestId('alarm-ack').click();
  await expect(row).toHaveAttribute('data-attention', 'false');
  await expect(elsewhere).toHaveAttribute('data-attention', 'false');
  await expect(row.getByTestId('alarm-acked')).toBeVisible();

  // The source goes: its alarm clears everywhere and stays in the log.
  await alarms.getByRole('button', { name: 'Remove' }).click();
  await alarms.getByTestId('source-remove-confirm').click();
  await expect(alarms.getByTestId('alarms-none')).toBeVisible();
  await expect(dashboard.getByTestId('alarm-row')).toHaveCount(0);
  await expect(alarms.getByTestId('alarm-log-row')).toHaveAttribute('data-active', 'false');

  // Settings made in one window reach the other.
  const silence = alarms.locator('[data-testid="alarm-kind-settings"][data-kind="silence"]');
  await silence.getByLabel('Silence set delay').fill('12');
  await alarms.getByTestId('alarms-settings-save').click();
  const other = await context.newPage();
  await other.goto(`${airdeck.url}#/alarms`);
  await expect(
    other
      .locator('[data-testid="alarm-kind-settings"][data-kind="silence"]')
      .getByLabel('Silence set delay'),
  ).toHaveValue('12');
  await context.close();
});

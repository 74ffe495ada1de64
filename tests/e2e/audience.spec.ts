import { callOk, contractClient, expect, test } from './fixtures';
import { openScreen, seedChannel } from './screens';

/**
 * Two players watch a channel (its slate: nothing is scheduled) for a few seconds while the
 * Dashboard is open. When their minute is rolled up, the core announces it and the open chart
 * draws it without a reload; the chart's legend names the channel.
 */
test('the Dashboard charts an audience live, from the players that fetched a channel', async ({
  airdeck,
  page,
}) => {
  // A minute has to end and be rolled up (every 5 s) before it is drawn.
  test.setTimeout(180_000);
  const client = await contractClient(airdeck);
  try {
    const channel = await seedChannel(client, 'Audience One');
    await callOk(client, 'playoutStart', { channelId: channel.id });
    await openScreen(page, airdeck.url, 'dashboard');
    await expect(page.getByTestId('dash-audience-empty')).toBeVisible();

    const base = new URL('channels/audience-one/', airdeck.url);
    const watch = async (player: string) => {
      const headers = { 'user-agent': player };
      const playlist = await fetch(new URL('main.m3u8', base), { headers });
      if (playlist.status !== 200) return false;
      const uri = (await playlist.text())
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('#'))
        .at(-1)!;
      const segment = await fetch(new URL(uri, base), { headers });
      await segment.arrayBuffer();
      return segment.status === 200;
    };
    // Until both players have had a segment (the channel answers once its first segment is live).
    await expect
      .poll(async () => (await watch('player-a')) && (await watch('player-b')), { timeout: 30_000 })
      .toBe(true);

    const chart = page.getByTestId('dash-audience-chart');
    await expect(chart).toBeVisible({ timeout: 150_000 });
    await expect(chart).toContainText('Audience One');
    await expect(page.getByTestId('dash-audience-empty')).toHaveCount(0);
  } finally {
    client.close();
  }
});

import type { Page } from '@playwright/test';
import { callOk, expect } from './fixtures';
import type { TestWsClient } from '../helpers/ws-client';

/**
 * Helpers the accessibility and keyboard specs share: every route of the shell, and the small
 * station they need, seeded through the contract as the other specs do.
 */

/** Every route of the app shell, with the label its <main> carries. */
export const SCREENS = [
  { id: 'station', label: 'Station' },
  { id: 'library', label: 'Library' },
  { id: 'schedule', label: 'Schedule' },
  { id: 'channels-control', label: 'On air' },
  { id: 'wall', label: 'Wall' },
  { id: 'review', label: 'Review' },
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'alarms', label: 'Alarms' },
  { id: 'chat', label: 'Chat' },
  { id: 'settings', label: 'Settings' },
  { id: 'people', label: 'People' },
  { id: 'audit', label: 'Audit log' },
  { id: 'account', label: 'My account' },
  { id: 'shifts', label: 'Shifts' },
  { id: 'team', label: 'Team' },
  { id: 'reports', label: 'Reports' },
] as const;

export type ScreenId = (typeof SCREENS)[number]['id'];

/** Opens a route and waits until its screen has rendered (not its loading line). */
export async function openScreen(page: Page, url: string, id: ScreenId) {
  const screen = SCREENS.find((s) => s.id === id)!;
  await page.goto(`${url}#/${id}`);
  const main = page.getByRole('main', { name: screen.label });
  await expect(main).toBeVisible();
  await expect(main.getByRole('heading').first()).toBeVisible();
  await expect(main.getByText(/^Loading/)).toHaveCount(0);
}

export type SeededChannel = { id: number; name: string };

/** A channel in the station's zone with no lock horizon, so its items can be moved at once. */
export async function seedChannel(
  client: TestWsClient,
  name = 'Airdeck One',
  zone = 'Europe/Berlin',
): Promise<SeededChannel> {
  await callOk(client, 'settingsSet', { timeZone: zone });
  await callOk(client, 'scheduleSettingsSet', { lockHorizonMs: 0 });
  const channel = await callOk<{ id: number }>(client, 'channelCreate', {
    name,
    number: 1,
    slug: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
  });
  return { id: channel.id, name };
}

/** Schedules assets back to back from `startsAt`; returns the items' ids in order. */
export async function scheduleBackToBack(
  client: TestWsClient,
  channelId: number,
  assetIds: number[],
  startsAt: number,
): Promise<{ id: number; startsAt: number; endsAt: number }[]> {
  const added: { id: number; startsAt: number; endsAt: number }[] = [];
  let cursor = startsAt;
  for (const assetId of assetIds) {
    const change = await callOk<{
      changed: { id: number; assetId: number | null; startsAt: number; endsAt: number }[];
    }>(client, 'scheduleAdd', { channelId, kind: 'asset', assetId, startsAt: cursor });
    const item = change.changed.find((i) => i.assetId === assetId)!;
    added.push(item);
    cursor = item.endsAt;
  }
  return added;
}

/** The deterministic alarm of the README: an outside stream nothing answers. */
export async function raiseOfflineAlarm(client: TestWsClient, name = 'Gone') {
  return callOk<{ source: { id: number } }>(client, 'monitorSourceAdd', {
    name,
    url: 'http://127.0.0.1:9/x.m3u8',
  });
}

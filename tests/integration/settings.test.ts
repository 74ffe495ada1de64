import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase } from '../../src-main/core/db/open-database';
import { EventBus } from '../../src-main/core/events/event-bus';
import { createSettingsService } from '../../src-main/core/settings/settings-service';
import { makeTempDir } from '../helpers/temp-dir';

describe('settings', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => dir.remove());

  it('has working defaults, persists patches across a reopen and announces changes', () => {
    const file = join(dir.path, 's.db');
    const first = openDatabase(file);
    const bus = new EventBus();
    const seen: unknown[] = [];
    bus.on('settingsChanged', (s) => seen.push(s));
    const service = createSettingsService(first.db, bus, () => 1);
    expect(service.get()).toMatchObject({
      stationName: 'Airdeck',
      timeZone: 'UTC',
      clockFormat: '24h',
    });
    service.set({ stationName: 'Channel Nord', timeZone: 'Europe/Berlin' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      stationName: 'Channel Nord',
      timeZone: 'Europe/Berlin',
      clockFormat: '24h',
    });
    first.db.close();

    const second = openDatabase(file);
    expect(createSettingsService(second.db, new EventBus(), () => 2).get().timeZone).toBe(
      'Europe/Berlin',
    );
    second.db.close();
  });

  it('falls back to the default for a damaged value and keeps the valid ones', () => {
    const { db } = openDatabase(join(dir.path, 'd.db'));
    db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 0)').run(
      'timeZone',
      '"Not/AZone"',
    );
    db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 0)').run(
      'clockFormat',
      '{broken json',
    );
    db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 0)').run(
      'stationName',
      '"Kept"',
    );
    expect(createSettingsService(db, new EventBus(), () => 0).get()).toMatchObject({
      stationName: 'Kept',
      timeZone: 'UTC',
      clockFormat: '24h',
    });
    db.close();
  });
});

import type { Migration } from '../migration';
import { migration0001 } from './0001-settings';
import { migration0002 } from './0002-library';
import { migration0003 } from './0003-schedule';
import { migration0004 } from './0004-ingest';
import { migration0005 } from './0005-preview';
import { migration0006 } from './0006-playout';
import { migration0007 } from './0007-outputs';
import { migration0008 } from './0008-monitor';
import { migration0009 } from './0009-storage';
import { migration0010 } from './0010-wall-layouts';
import { migration0011 } from './0011-publishing';
import { migration0012 } from './0012-people';
import { migration0013 } from './0013-recorder';
import { migration0014 } from './0014-chat';
import { migration0015 } from './0015-shifts-stats';
import { migration0016 } from './0016-notes';
import { migration0017 } from './0017-api-keys';
import { migration0018 } from './0018-subscribers';
import { migration0019 } from './0019-audience';
import { migration0020 } from './0020-clip-registry';

/** Append only. An applied migration is never edited: write the next number instead. */
export const migrations: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011,
  migration0012,
  migration0013,
  migration0014,
  migration0015,
  migration0016,
  migration0017,
  migration0018,
  migration0019,
  migration0020,
];

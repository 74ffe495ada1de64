// HDHomeRun emulation: the JSON and UPnP answers Plex, Jellyfin and Emby ask a network tuner
// for, so Airdeck can be added as a "tuner" whose channels are the live TS streams.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { xmlEscape } from './xmltv';

const DEVICE_ID_FILE = 'hdhomerun-device-id';
// libhdhomerun's check nibble table: a real device id XORs to zero through it, and some
// clients refuse an id that does not.
const CHECKSUM_TABLE = [
  0xa, 0x5, 0xf, 0x6, 0x7, 0xc, 0x1, 0xb, 0x9, 0x2, 0x8, 0xd, 0x4, 0x3, 0xe, 0x0,
];

function nibble(id: number, shift: number): number {
  return Math.floor(id / 2 ** shift) & 0x0f;
}

export function deviceIdChecksum(id: number): number {
  let sum = 0;
  for (const shift of [28, 20, 12, 4]) sum ^= CHECKSUM_TABLE[nibble(id, shift)]!;
  for (const shift of [24, 16, 8, 0]) sum ^= nibble(id, shift);
  return sum;
}

export function isValidDeviceId(hex: string): boolean {
  return /^[0-9A-F]{8}$/.test(hex) && deviceIdChecksum(parseInt(hex, 16)) === 0;
}

/** A random id whose last nibble makes the checksum come out right. */
export function makeDeviceId(random = randomBytes(4).readUInt32BE(0)): string {
  const base = random - (random % 16);
  const id = base + deviceIdChecksum(base);
  return id.toString(16).toUpperCase().padStart(8, '0');
}

/** Stable per data folder: clients remember tuners by id, so it must survive restarts. */
export function loadOrCreateDeviceId(dataDir: string): string {
  const file = join(dataDir, DEVICE_ID_FILE);
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim().toUpperCase();
    if (isValidDeviceId(stored)) return stored;
  }
  const id = makeDeviceId();
  writeFileSync(file, `${id}\n`);
  return id;
}

export type DeviceInfo = {
  friendlyName: string;
  deviceId: string;
  /** Absolute base URL without a trailing slash, e.g. http://192.168.1.5:8080 */
  baseUrl: string;
  firmwareVersion: string;
  tunerCount: number;
  /** Appended to every URL when public outputs require a key (`?key=…`), else ''. */
  query: string;
};

export function discoverJson(info: DeviceInfo) {
  return {
    FriendlyName: info.friendlyName,
    Manufacturer: 'Silicondust',
    ManufacturerURL: 'https://github.com/airdeck',
    ModelNumber: 'HDTC-2US',
    FirmwareName: 'hdhomeruntc_atsc',
    FirmwareVersion: info.firmwareVersion,
    DeviceID: info.deviceId,
    // Real tuners use it for their own web UI; nothing here depends on it.
    DeviceAuth: `airdeck${info.deviceId.toLowerCase()}`,
    BaseURL: `${info.baseUrl}`,
    LineupURL: `${info.baseUrl}/lineup.json${info.query}`,
    TunerCount: info.tunerCount,
  };
}

export type LineupEntry = { GuideNumber: string; GuideName: string; URL: string; HD?: 1 };

export function lineupStatusJson() {
  return { ScanInProgress: 0, ScanPossible: 1, Source: 'Cable', SourceList: ['Cable'] };
}

/** The UPnP device description some clients fetch before the JSON. */
export function deviceXml(info: DeviceInfo): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<root xmlns="urn:schemas-upnp-org:device-1-0">
  <specVersion><major>1</major><minor>0</minor></specVersion>
  <URLBase>${xmlEscape(info.baseUrl)}</URLBase>
  <device>
    <deviceType>urn:schemas-upnp-org:device:MediaServer:1</deviceType>
    <friendlyName>${xmlEscape(info.friendlyName)}</friendlyName>
    <manufacturer>Silicondust</manufacturer>
    <modelName>HDTC-2US</modelName>
    <modelNumber>HDTC-2US</modelNumber>
    <serialNumber>${xmlEscape(info.deviceId)}</serialNumber>
    <UDN>uuid:${xmlEscape(info.deviceId)}-airdeck</UDN>
  </device>
</root>
`;
}

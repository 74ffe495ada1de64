/**
 * A minimal SCTE-35 `splice_info_section` carrying one `splice_insert` (immediate, program
 * splice), as the EXT-X-DATERANGE SCTE35-OUT / SCTE35-IN attributes expect it: hex of the
 * whole section, CRC included, so ad-insertion systems that parse it accept it.
 */

class BitWriter {
  private readonly bytes: number[] = [];
  private current = 0;
  private used = 0;

  write(value: number | bigint, bits: number): void {
    const v = BigInt(value);
    for (let i = bits - 1; i >= 0; i--) {
      this.current = (this.current << 1) | Number((v >> BigInt(i)) & 1n);
      this.used += 1;
      if (this.used === 8) {
        this.bytes.push(this.current);
        this.current = 0;
        this.used = 0;
      }
    }
  }

  toBytes(): number[] {
    if (this.used !== 0) throw new Error('SCTE-35 section is not byte aligned');
    return [...this.bytes];
  }
}

/** CRC-32/MPEG-2 (polynomial 0x04C11DB7, no reflection, initial 0xFFFFFFFF, no final xor). */
export function crc32Mpeg2(bytes: readonly number[]): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte << 24;
    for (let i = 0; i < 8; i++) {
      crc = crc & 0x80000000 ? ((crc << 1) ^ 0x04c11db7) >>> 0 : (crc << 1) >>> 0;
    }
  }
  return crc >>> 0;
}

export type SpliceInsert = {
  eventId: number;
  /** true: leaving the network for a break (OUT); false: returning (IN). */
  out: boolean;
  /** Planned break length (OUT only), in milliseconds. */
  durationMs?: number;
};

export function spliceInsertHex(splice: SpliceInsert): string {
  const command = new BitWriter();
  command.write(splice.eventId >>> 0, 32);
  command.write(0, 1); // splice_event_cancel_indicator
  command.write(0x7f, 7); // reserved
  const withDuration = splice.out && splice.durationMs !== undefined;
  command.write(splice.out ? 1 : 0, 1); // out_of_network_indicator
  command.write(1, 1); // program_splice_flag
  command.write(withDuration ? 1 : 0, 1); // duration_flag
  command.write(1, 1); // splice_immediate_flag
  command.write(1, 1); // event_id_compliance_flag
  command.write(0x7, 3); // reserved
  if (withDuration) {
    command.write(1, 1); // auto_return
    command.write(0x3f, 6); // reserved
    command.write(BigInt(Math.round(((splice.durationMs ?? 0) * 90_000) / 1000)), 33);
  }
  command.write(0, 16); // unique_program_id
  command.write(0, 8); // avail_num
  command.write(0, 8); // avails_expected
  const commandBytes = command.toBytes();

  // Everything after section_length up to and including the CRC.
  const sectionLength = 1 + 5 + 1 + 3 + 1 + commandBytes.length + 2 + 4;
  const head = new BitWriter();
  head.write(0xfc, 8); // table_id
  head.write(0, 1); // section_syntax_indicator
  head.write(0, 1); // private_indicator
  head.write(3, 2); // sap_type: not specified
  head.write(sectionLength, 12);
  head.write(0, 8); // protocol_version
  head.write(0, 1); // encrypted_packet
  head.write(0, 6); // encryption_algorithm
  head.write(0, 33); // pts_adjustment
  head.write(0, 8); // cw_index
  head.write(0xfff, 12); // tier
  head.write(commandBytes.length, 12); // splice_command_length
  head.write(0x05, 8); // splice_command_type: splice_insert
  const body = [...head.toBytes(), ...commandBytes, 0, 0]; // descriptor_loop_length = 0
  const crc = crc32Mpeg2(body);
  const all = [...body, (crc >>> 24) & 0xff, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff];
  return `0x${all
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase()}`;
}

/** A stable 32-bit event id from a break's id string (FNV-1a). */
export function spliceEventId(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

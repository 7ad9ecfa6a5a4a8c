import { describe, expect, it } from 'vitest';
import { ipv6Bytes, isBlockedAddress } from '../../src/media/address-policy.js';

const BLOCKED = [
  '127.0.0.1',
  '127.255.255.254',
  '10.0.0.1',
  '10.255.255.255',
  '172.16.0.1',
  '172.31.255.255',
  '192.168.1.1',
  '169.254.169.254', // cloud metadata
  '100.64.0.1',
  '100.127.255.255',
  '0.0.0.0',
  '0.1.2.3',
  '224.0.0.1',
  '239.255.255.250',
  '255.255.255.255',
  '::1',
  '::',
  'fc00::1',
  'fd12:3456::1',
  'fe80::1',
  'fe80::1%eth0',
  'febf::1',
  'ff02::1',
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '::ffff:10.0.0.1',
  '::ffff:169.254.169.254',
  '::ffff:a9fe:a9fe',
  '::ffff:192.168.0.1',
  '::127.0.0.1',
  '64:ff9b::10.0.0.1',
  '64:ff9b::a9fe:a9fe',
  '2002:7f00:1::',
  '2002:a9fe:a9fe::1',
  'not-an-ip',
  '',
];

const ALLOWED = ['8.8.8.8', '1.1.1.1', '172.15.255.255', '172.32.0.1', '100.63.255.255', '100.128.0.1', '169.253.0.1', '192.169.0.1', '2001:4860:4860::8888', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'];

describe('isBlockedAddress', () => {
  for (const ip of BLOCKED) it(`blocks ${ip || '(empty)'}`, () => expect(isBlockedAddress(ip)).toBe(true));
  for (const ip of ALLOWED) it(`allows ${ip}`, () => expect(isBlockedAddress(ip)).toBe(false));
});

describe('ipv6Bytes', () => {
  it('expands :: and embedded IPv4', () => {
    expect(Array.from(ipv6Bytes('::ffff:1.2.3.4')!)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4]);
    expect(Array.from(ipv6Bytes('2001:db8::1')!)).toEqual([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(ipv6Bytes('[::1]')![15]).toBe(1);
    expect(ipv6Bytes('1.2.3.4')).toBeUndefined();
  });
});

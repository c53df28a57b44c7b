import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatIpv6, parseIpv6, registrableDomain } from '../../../src/domain/indicators/index.ts';
import { accepts, rejects } from './table.ts';

describe('URLs (WHATWG)', () => {
  accepts('url', [
    ['http://example.com', 'http://example.com/'],
    ['HTTP://Example.COM:80/a/../b?x=1#frag', 'http://example.com/b?x=1'],
    ['https://EXAMPLE.com:443/Path/Is/Case/Sensitive', 'https://example.com/Path/Is/Case/Sensitive'],
    ['https://example.com:8443/login', 'https://example.com:8443/login'],
    ['https://bücher.de./', 'https://xn--bcher-kva.de/'],
    ['https://xn--bcher-kva.de/', 'https://xn--bcher-kva.de/'],
    ['  https://example.com/a b  ', 'https://example.com/a%20b'],
    ['https://paypal.com@evil.example/login', 'https://paypal.com@evil.example/login'],
    ['http://0x7f.1/', 'http://127.0.0.1/'],
    ['http://[2001:DB8::1]:8080/x', 'http://[2001:db8::1]:8080/x'],
    ['https://example.com/#', 'https://example.com/'],
    ['https://example.com/?', 'https://example.com/?'],
    // RFC 3986 percent-encoding normalisation: unreserved characters decoded, hex in upper case.
    ['http://example.com/%7euser/%41%2d%5f', 'http://example.com/~user/A-_'],
    ['http://example.com/a%2fb?q=%c3%a9%20x', 'http://example.com/a%2Fb?q=%C3%A9%20x'],
    ['http://example.com/caf%C3%A9', 'http://example.com/caf%C3%A9'],
    ['http://example.com/café', 'http://example.com/caf%C3%A9'],
    ['http://us%65r:p%40ss@example.com/', 'http://user:p%40ss@example.com/'],
    // WHATWG already reads %2e%2e as a dot segment.
    ['http://example.com/a/%2e%2e/b', 'http://example.com/b'],
  ]);
  rejects('url', [
    ['', 'URL is empty'],
    ['example.com/login', 'URL must start with http:// or https://'],
    ['//example.com/', 'URL must start with http:// or https://'],
    ['ftp://example.com/file', 'URL scheme ftp is not accepted (http or https only)'],
    ['javascript:alert(1)', 'URL scheme javascript is not accepted (http or https only)'],
    ['mailto:a@example.com', 'URL scheme mailto is not accepted (http or https only)'],
    ['http://exa mple.com/', 'URL does not parse'],
    ['http://[::1/', 'URL does not parse'],
    ['https://example.com:99999/', 'URL does not parse'],
    [`https://example.com/${'a'.repeat(8200)}`, 'value is longer than 8192 characters'],
  ]);
});

describe('domains (IDNA)', () => {
  accepts('domain', [
    ['example.com', 'example.com'],
    ['WWW.Example.COM.', 'www.example.com'],
    ['Bücher.DE', 'xn--bcher-kva.de'],
    ['xn--bcher-kva.de', 'xn--bcher-kva.de'],
    ['münchen.de', 'xn--mnchen-3ya.de'],
    ['ví-dụ.vn', 'xn--v-d-rma6749a.vn'],
    ['例え.jp', 'xn--r8jz45g.jp'],
    ['a-b.co.uk', 'a-b.co.uk'],
  ]);
  rejects('domain', [
    ['', 'domain is empty'],
    ['localhost', 'domain needs at least two labels'],
    ['com.', 'domain needs at least two labels'],
    ['1.2.3.4', 'an IP address is not a domain'],
    ['https://example.com', 'domain must be a bare host name, not a URL or address'],
    ['example.com/path', 'domain must be a bare host name, not a URL or address'],
    ['user@example.com', 'domain must be a bare host name, not a URL or address'],
    ['exa mple.com', 'domain must be a bare host name, not a URL or address'],
    ['-bad.example.com', 'domain label "-bad" is not valid'],
    ['bad-.example.com', 'domain label "bad-" is not valid'],
    ['a..example.com', 'domain label "" is not valid'],
    ['under_score.example.com', 'domain label "under_score" is not valid'],
    [`${'a'.repeat(64)}.com`, `domain label "${'a'.repeat(64)}" is not valid`],
    [`${'abcdefghi.'.repeat(26)}com`, 'domain is longer than 253 characters'],
  ]);
  test('registrable domain from the public suffix list', () => {
    assert.equal(registrableDomain('a.b.example.co.uk'), 'example.co.uk');
    assert.equal(registrableDomain('login.example.com'), 'example.com');
    assert.equal(registrableDomain('shop.xn--bcher-kva.de'), 'xn--bcher-kva.de');
    assert.equal(registrableDomain('www.gov.vn'), 'www.gov.vn');
    assert.equal(registrableDomain('phish.example.com.vn'), 'example.com.vn');
    assert.equal(registrableDomain('co.uk'), null);
  });
});

describe('e-mail addresses', () => {
  accepts('email', [
    ['John.Doe@EXAMPLE.com', 'John.Doe@example.com'],
    ['  support+refund@Example.COM. ', 'support+refund@example.com'],
    ['mailto:a@example.com', 'a@example.com'],
    ['a@bücher.de', 'a@xn--bcher-kva.de'],
    ['用户@例子.测试', '用户@xn--fsqu00a.xn--0zwm56d'],
    ["o'brien_x-y=z@mail.example.org", "o'brien_x-y=z@mail.example.org"],
  ]);
  rejects('email', [
    ['', 'e-mail address is empty'],
    ['john.example.com', 'e-mail address has no @'],
    ['@example.com', 'e-mail address has an empty local part'],
    ['"john doe"@example.com', 'quoted e-mail local parts are not accepted'],
    ['john doe@example.com', 'e-mail local part holds a character that is not allowed'],
    ['john,doe@example.com', 'e-mail local part holds a character that is not allowed'],
    ['.john@example.com', 'e-mail local part has a misplaced dot'],
    ['john.@example.com', 'e-mail local part has a misplaced dot'],
    ['jo..hn@example.com', 'e-mail local part has a misplaced dot'],
    [`${'a'.repeat(65)}@example.com`, 'e-mail local part is longer than 64 octets'],
    ['john@localhost', 'e-mail domain needs at least two labels'],
    ['john@', 'e-mail domain is empty'],
    ['john@[192.0.2.1]', 'e-mail address literals ([IP]) are not accepted'],
    [
      `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`,
      'e-mail address is longer than 254 octets',
    ],
  ]);
});

describe('IPv4', () => {
  accepts('ipv4', [
    ['192.0.2.1', '192.0.2.1'],
    [' 10.0.0.255 ', '10.0.0.255'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
  ]);
  const error = 'not a valid IPv4 address (four decimal octets 0-255, no leading zeros)';
  rejects('ipv4', [
    ['', 'IPv4 address is empty'],
    ['256.0.0.1', error],
    ['1.2.3', error],
    ['1.2.3.4.5', error],
    ['010.0.0.1', error],
    ['0x7f.0.0.1', error],
    ['1.2.3.-4', error],
    ['1..3.4', error],
    ['::1', error],
    ['a.b.c.d', error],
  ]);
});

describe('IPv6 (RFC 5952 text)', () => {
  accepts('ipv6', [
    // RFC 5952 section 4 examples.
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8::1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8::0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0db8::1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:0:1::1', '2001:db8::1:0:0:1'],
    ['2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8::aaaa:0:0:1', '2001:db8::aaaa:0:0:1'],
    ['2001:db8:0:0:aaaa::1', '2001:db8::aaaa:0:0:1'],
    ['2001:db8:aaaa:bbbb:cccc:dddd:eeee:0001', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:1'],
    ['2001:db8::1', '2001:db8::1'],
    // A single zero group is not compressed (section 4.2.2).
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    // Longest run wins; on a tie the first one (section 4.2.3).
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['::', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['1::', '1::'],
    ['fe80::1:2:3:4', 'fe80::1:2:3:4'],
    ['[2001:db8::1]', '2001:db8::1'],
    // IPv4-mapped keeps the dotted quad (section 5); other embedded forms become hex.
    ['::FFFF:192.0.2.1', '::ffff:192.0.2.1'],
    ['0:0:0:0:0:ffff:c000:0201', '::ffff:192.0.2.1'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
  ]);
  rejects('ipv6', [
    ['', 'IPv6 address is empty'],
    ['fe80::1%eth0', 'IPv6 zone identifiers are not accepted'],
    ['2001:db8::1::1', 'not a valid IPv6 address'],
    ['2001:db8:1:2:3:4:5:6:7', 'not a valid IPv6 address'],
    ['2001:db8:1:2:3:4:5', 'not a valid IPv6 address'],
    ['1:2:3:4:5:6:7::8', 'not a valid IPv6 address'],
    ['2001:db8::g', 'not a valid IPv6 address'],
    ['2001:db8::12345', 'not a valid IPv6 address'],
    [':2001:db8::1', 'not a valid IPv6 address'],
    ['2001:db8::1:', 'not a valid IPv6 address'],
    ['::ffff:192.0.2', 'not a valid IPv6 address'],
    ['::ffff:192.0.2.1:1', 'not a valid IPv6 address'],
    ['192.0.2.1', 'not a valid IPv6 address'],
  ]);
  test('format(parse(x)) is stable for every canonical output', () => {
    for (const text of ['2001:db8::1:0:0:1', '::', '::1', '1::', '2001:0:0:1::1', '::ffff:10.0.0.1']) {
      assert.equal(formatIpv6(parseIpv6(text)!), text);
    }
  });
});

describe('CIDR blocks', () => {
  accepts('cidr', [
    ['192.168.1.77/24', '192.168.1.0/24'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['203.0.113.77/32', '203.0.113.77/32'],
    ['203.0.113.77/0', '0.0.0.0/0'],
    ['172.16.255.255/12', '172.16.0.0/12'],
    ['192.0.2.255/25', '192.0.2.128/25'],
    ['2001:DB8::1/32', '2001:db8::/32'],
    ['2001:db8:abcd:12ff::/56', '2001:db8:abcd:1200::/56'],
    ['2001:db8::1/128', '2001:db8::1/128'],
    ['[2001:db8::1]/64', '2001:db8::/64'],
    ['::/0', '::/0'],
  ]);
  rejects('cidr', [
    ['', 'CIDR block is empty'],
    ['192.168.1.0', 'CIDR block needs a /prefix'],
    ['192.168.1.0/33', 'IPv4 CIDR prefix must be 0 to 32'],
    ['2001:db8::/129', 'IPv6 CIDR prefix must be 0 to 128'],
    ['192.168.1.0/024', 'CIDR prefix must be a decimal number'],
    ['192.168.1.0/', 'CIDR prefix must be a decimal number'],
    ['192.168.1.0/-1', 'CIDR prefix must be a decimal number'],
    ['192.168.1.0/2a', 'CIDR prefix must be a decimal number'],
    ['192.168.1/24', 'CIDR block has no valid IPv4 or IPv6 address'],
    ['example.com/24', 'CIDR block has no valid IPv4 or IPv6 address'],
  ]);
});

import { strict as assert } from 'node:assert';
import { envKeyAllowedFor } from '../../src/core/envApiKey';
import { isCleartextRemote, isLoopbackHost, isLoopbackUrl } from '../../src/core/loopback';

describe('the loopback rule', () => {
  it('counts only localhost, ::1 and numeric 127.0.0.0/8 as this machine', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '127.255.255.255', '[::1]', '::1', 'localhost.']) {
      assert.equal(isLoopbackHost(host), true, host);
    }
    for (const host of ['127.anything.example', '127.0.0.1.nip.io', '127.0.0', '127.0.0.256', '128.0.0.1', '10.0.0.1', 'example.com', '[::2]', 'localhost.example']) {
      assert.equal(isLoopbackHost(host), false, host);
    }
  });

  it('reads URLs, and anything unparsable is not loopback', () => {
    assert.equal(isLoopbackUrl('http://127.0.0.1:2024'), true);
    assert.equal(isLoopbackUrl('http://127.anything.example:2024'), false);
    assert.equal(isLoopbackUrl('not a url'), false);
  });

  it('sends the environment key only over https or to loopback', () => {
    assert.equal(envKeyAllowedFor('http://127.anything.example'), false, 'a DNS name starting with 127. is not loopback');
    assert.equal(envKeyAllowedFor('http://127.0.0.1:2024'), true);
    assert.equal(envKeyAllowedFor('http://[::1]:2024'), true);
    assert.equal(envKeyAllowedFor('https://x.langgraph.app'), true);
    assert.equal(envKeyAllowedFor('http://10.0.0.5:2024'), false);
    assert.equal(envKeyAllowedFor('garbage'), false);
  });

  it('flags plain http to another machine as cleartext', () => {
    assert.equal(isCleartextRemote('http://10.0.0.5:2024'), true);
    assert.equal(isCleartextRemote('http://127.x.example'), true);
    assert.equal(isCleartextRemote('http://127.0.0.1:2024'), false);
    assert.equal(isCleartextRemote('https://10.0.0.5'), false);
  });
});

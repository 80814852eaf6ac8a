import { strict as assert } from 'node:assert';
import { envApiKey, envKeyAllowedFor } from '../../src/core/envApiKey';
import { describeFilter, isFiltered, NO_FILTER, parseMetadataPair } from '../../src/core/threadFilter';

describe('thread filter', () => {
  it('reads key=value with JSON-typed values where the text is JSON', () => {
    assert.deepEqual(parseMetadataPair('owner=alice'), { key: 'owner', value: 'alice' });
    assert.deepEqual(parseMetadataPair(' n = 3 '), { key: 'n', value: 3 });
    assert.deepEqual(parseMetadataPair('flag=true'), { key: 'flag', value: true });
    assert.deepEqual(parseMetadataPair('tag="3"'), { key: 'tag', value: '3' });
    assert.deepEqual(parseMetadataPair('url=http://x?a=b'), { key: 'url', value: 'http://x?a=b' });
  });

  it('explains what is wrong with a bad pair', () => {
    assert.deepEqual(parseMetadataPair('owner'), { error: 'Write key=value, e.g. owner=alice' });
    assert.deepEqual(parseMetadataPair('=x'), { error: 'Write key=value, e.g. owner=alice' });
    assert.deepEqual(parseMetadataPair('owner='), { error: 'Give owner a value, e.g. owner=something' });
  });

  it('describes an active filter for the view title', () => {
    assert.equal(isFiltered(NO_FILTER), false);
    const filter = { status: 'busy' as const, metadata: { owner: 'alice', n: 3 } };
    assert.equal(isFiltered(filter), true);
    assert.equal(describeFilter(filter), 'status: busy · owner=alice · n=3');
  });
});

describe('API key from the environment', () => {
  it('reads the variables in the SDK\'s order and ignores blank ones', () => {
    assert.deepEqual(envApiKey({ LANGSMITH_API_KEY: 'ls', LANGGRAPH_API_KEY: 'lg' }), { name: 'LANGGRAPH_API_KEY', value: 'lg' });
    assert.deepEqual(envApiKey({ LANGGRAPH_API_KEY: '  ', LANGCHAIN_API_KEY: 'lc' }), { name: 'LANGCHAIN_API_KEY', value: 'lc' });
    assert.equal(envApiKey({}), undefined);
  });

  it('is sent only over https or to this machine', () => {
    assert.equal(envKeyAllowedFor('https://x.langgraph.app'), true);
    assert.equal(envKeyAllowedFor('http://127.0.0.1:2024'), true);
    assert.equal(envKeyAllowedFor('http://localhost:2024'), true);
    assert.equal(envKeyAllowedFor('http://10.0.0.5:2024'), false);
    assert.equal(envKeyAllowedFor('http://my-box.internal'), false);
  });
});

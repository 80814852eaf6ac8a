import { strict as assert } from 'node:assert';
import { parseDeployments } from '../../src/core/deployments';
import { threadLabel, timeAgo } from '../../src/core/threadLabels';

describe('parseDeployments', () => {
  it('normalizes URLs, keeps the first of duplicates and names unnamed entries by URL', () => {
    const { deployments, problems } = parseDeployments([
      { name: 'Local', url: 'http://127.0.0.1:2024/' },
      { name: 'Again', url: 'http://127.0.0.1:2024' },
      { url: 'https://x.langgraph.app/prefix/' },
    ]);
    assert.deepEqual(problems, []);
    assert.deepEqual(deployments, [
      { id: 'http://127.0.0.1:2024', name: 'Local', url: 'http://127.0.0.1:2024' },
      { id: 'https://x.langgraph.app/prefix', name: 'https://x.langgraph.app/prefix', url: 'https://x.langgraph.app/prefix' },
    ]);
  });

  it('reports each unusable entry by its index', () => {
    const { deployments, problems } = parseDeployments([{ name: 'no url' }, 'text', { name: 'ftp', url: 'ftp://x' }, { name: 'ok', url: 'http://h' }]);
    assert.equal(deployments.length, 1);
    assert.deepEqual(problems.map((p) => p.index), [0, 1, 2]);
    assert.match(problems[2]!.message, /langgraph\.deployments\[2\]: .*not an http\(s\) URL/);
    assert.match(parseDeployments({}).problems[0]!.message, /must be a list/);
  });
});

describe('thread labels', () => {
  it('prefers a title from metadata and falls back to a short id', () => {
    assert.equal(threadLabel('2b84a1b7-88d0-49e0-844b-f32dc75081a9', { title: '  Weather\nin SF ' }), 'Weather in SF');
    assert.equal(threadLabel('2b84a1b7-88d0-49e0-844b-f32dc75081a9', { title: 42 }), '2b84a1b7');
    assert.equal(threadLabel('2b84a1b7-88d0', undefined), '2b84a1b7');
  });

  it('says how long ago in words', () => {
    const now = Date.parse('2026-11-21T12:00:00Z');
    assert.equal(timeAgo('2026-11-21T11:59:40Z', now), 'just now');
    assert.equal(timeAgo('2026-11-21T11:55:00Z', now), '5 min ago');
    assert.equal(timeAgo('2026-11-21T09:00:00Z', now), '3 h ago');
    assert.equal(timeAgo('2026-11-19T12:00:00Z', now), '2 d ago');
    assert.equal(timeAgo('2025-01-02T00:00:00Z', now), '2025-01-02');
    assert.equal(timeAgo('garbage', now), '');
  });
});

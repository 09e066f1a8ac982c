import { constantTimeEquals, generateApiKeySecret, hashApiKey } from './api-key-secret';

describe('API key secrets', () => {
  it('are unique, carry the tenant, and hash deterministically', () => {
    const a = generateApiKeySecret('acme');
    const b = generateApiKeySecret('acme');
    expect(a).not.toBe(b);
    expect(a.startsWith('lemo_acme_')).toBe(true);
    expect(hashApiKey(a)).toBe(hashApiKey(a));
    expect(hashApiKey(a)).not.toBe(hashApiKey(b));
  });

  it('compares in constant time regardless of length', () => {
    expect(constantTimeEquals('secret-secret-1', 'secret-secret-1')).toBe(true);
    expect(constantTimeEquals('secret-secret-1', 'short')).toBe(false);
  });
});

/**
 * A throwaway certificate authority with a server certificate for 127.0.0.1 and a client
 * certificate, made with the openssl command (node:crypto cannot issue X.509 certificates). Null when
 * openssl is not installed; the mutual-TLS tests then say so and skip.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  dir: string;
  ca: Buffer;
  server: { cert: Buffer; key: Buffer };
  client: { cert: Buffer; key: Buffer };
  /** A second CA that signed nothing here: trusting it instead of `ca` must fail. */
  otherCa: Buffer;
  paths: { ca: string; clientCert: string; clientKey: string };
}

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'fg-tls-'));
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  const authority = (name: string) => openssl('req', '-x509', ...key, '-keyout', at(`${name}.key`), '-out', at(`${name}.crt`), '-days', '2', '-subj', `/CN=Flowguard test ${name}`);
  const issue = (name: string, extensions: string) => {
    openssl('req', ...key, '-keyout', at(`${name}.key`), '-out', at(`${name}.csr`), '-subj', `/CN=${name}`);
    writeFileSync(at(`${name}.ext`), extensions);
    openssl('x509', '-req', '-in', at(`${name}.csr`), '-CA', at('ca.crt'), '-CAkey', at('ca.key'), '-CAcreateserial', '-out', at(`${name}.crt`), '-days', '2', '-extfile', at(`${name}.ext`));
  };
  authority('ca');
  authority('other-ca');
  issue('server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  issue('client', 'extendedKeyUsage=clientAuth\n');
  const read = (name: string) => readFileSync(at(name));
  return {
    dir,
    ca: read('ca.crt'),
    server: { cert: read('server.crt'), key: read('server.key') },
    client: { cert: read('client.crt'), key: read('client.key') },
    otherCa: read('other-ca.crt'),
    paths: { ca: at('ca.crt'), clientCert: at('client.crt'), clientKey: at('client.key') },
  };
}

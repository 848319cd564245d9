import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestkitError } from '../errors.js';
import { cacheRoot } from './jars.js';

/** PEM files of the test PKI: a CA, a broker certificate it signed, a client one, and an unrelated CA. */
export interface TestPki {
  readonly dir: string;
  /** CA certificate (PEM) clients trust. */
  readonly ca: string;
  /** The broker's key and certificate in one PEM file (Kafka's PEM keystore). */
  readonly brokerKeystore: string;
  /** A client certificate and key (CN=mtls-client) signed by the CA, for mutual TLS. */
  readonly clientCert: string;
  readonly clientKey: string;
  /** A CA that signed nothing here: trusting only it must fail the handshake. */
  readonly otherCa: string;
}

const openssl = (args: string[], cwd: string) => {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    throw new TestkitError(
      'OPENSSL_FAILED',
      `openssl ${args[0]} failed (is openssl installed? apt-get install openssl): ${(error as Error).message}`,
      { cause: error },
    );
  }
};

function build(dir: string): void {
  const days = '3650';
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      days,
      '-subj',
      '/CN=kafkakit-test-ca',
    ],
    dir,
  );
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'other-ca.key',
      '-out',
      'other-ca.pem',
      '-days',
      days,
      '-subj',
      '/CN=kafkakit-unknown-ca',
    ],
    dir,
  );
  writeFileSync(join(dir, 'broker.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  for (const [name, cn, ext] of [
    ['broker', 'localhost', ['-extfile', 'broker.ext']],
    ['client', 'mtls-client', []],
  ] as const) {
    openssl(
      [
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.csr`,
        '-subj',
        `/CN=${cn}`,
      ],
      dir,
    );
    openssl(
      [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${name}.pem`,
        '-days',
        days,
        ...ext,
      ],
      dir,
    );
  }
  // Kafka's PEM keystore: the PKCS#8 key, then the certificate chain.
  writeFileSync(
    join(dir, 'broker-keystore.pem'),
    `${readFileSync(join(dir, 'broker.key'), 'utf8')}${readFileSync(join(dir, 'broker.pem'), 'utf8')}${readFileSync(join(dir, 'ca.pem'), 'utf8')}`,
  );
}

/** The test PKI, made once with openssl and cached under the kit's cache dir (`tls/`). */
export function ensureTestPki(env: NodeJS.ProcessEnv = process.env): TestPki {
  const dir = join(cacheRoot(env), 'tls-v1');
  const pki: TestPki = {
    dir,
    ca: join(dir, 'ca.pem'),
    brokerKeystore: join(dir, 'broker-keystore.pem'),
    clientCert: join(dir, 'client.pem'),
    clientKey: join(dir, 'client.key'),
    otherCa: join(dir, 'other-ca.pem'),
  };
  if (existsSync(pki.brokerKeystore)) return pki;
  // Built aside and renamed: parallel runs never see half a PKI.
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  build(tmp);
  try {
    renameSync(tmp, dir);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another run won the race
  }
  return pki;
}

import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * PEM files named by the KAFKA_SSL_* variables: read at load time and checked, so a wrong path, a
 * file of the wrong kind, an encrypted key without its password or a key of another certificate
 * fails at start naming the variable, not later as an opaque TLS handshake error. No message
 * quotes a file's content or a password.
 */

const CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
const PRIVATE_KEY = /-----BEGIN ((?:RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY)-----[\s\S]+?-----END \1-----/;

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read "${path}" (${(error as Error).message})`);
  }
}

/** KAFKA_SSL_CA_FILE: a bundle of one or more PEM certificates -> `ssl.ca`. */
export function pemCaFile(path: string): string[] {
  const text = readText(path);
  if (!CERTIFICATE.test(text))
    throw new Error(
      `"${path}" holds no PEM certificate (-----BEGIN CERTIFICATE-----): use the CA that signed the broker's certificate, in PEM`,
    );
  return [text];
}

/** KAFKA_SSL_CERT_FILE: the client's PEM certificate (chain) -> `ssl.cert`. */
export function pemCertificateFile(path: string): string {
  const text = readText(path);
  if (!CERTIFICATE.test(text)) {
    const hint = PRIVATE_KEY.test(text)
      ? ' (it holds a private key: are the CERT and KEY files swapped?)'
      : '';
    throw new Error(`"${path}" holds no PEM certificate (-----BEGIN CERTIFICATE-----)${hint}`);
  }
  try {
    new X509Certificate(text);
  } catch (error) {
    throw new Error(`"${path}" is not a valid PEM certificate (${(error as Error).message})`);
  }
  return text;
}

/** KAFKA_SSL_KEY_FILE: the client's PEM private key -> `ssl.key` (decrypted and matched later). */
export function pemKeyFile(path: string): string {
  const text = readText(path);
  if (!PRIVATE_KEY.test(text)) {
    const hint = CERTIFICATE.test(text)
      ? ' (it holds a certificate: are the CERT and KEY files swapped?)'
      : '';
    throw new Error(`"${path}" holds no PEM private key (-----BEGIN PRIVATE KEY-----)${hint}`);
  }
  return text;
}

interface ClientTls {
  cert?: unknown;
  key?: unknown;
  passphrase?: unknown;
}

/**
 * Rules across KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE and KAFKA_SSL_KEY_PASSWORD: the certificate
 * and the key come together, the password opens the key, the key belongs to the certificate.
 * `isSet(suffix)` says whether a variable was given (also when its file could not be read, whose
 * own issue is then enough); `ssl` is what the rows parsed.
 */
export function clientCertificateIssues(
  ssl: unknown,
  isSet: (suffix: string) => boolean,
  prefix: string,
): string[] {
  const [certVar, keyVar, passVar] = ['SSL_CERT_FILE', 'SSL_KEY_FILE', 'SSL_KEY_PASSWORD'].map(
    (suffix) => prefix + suffix,
  );
  const hasCert = isSet('SSL_CERT_FILE');
  const hasKey = isSet('SSL_KEY_FILE');
  if (hasCert && !hasKey)
    return [
      `${certVar} / ${keyVar}: both are required for mutual TLS; ${certVar} is set, so set ${keyVar} to the PEM private key of that certificate (or unset ${certVar})`,
    ];
  if (hasKey && !hasCert)
    return [
      `${certVar} / ${keyVar}: both are required for mutual TLS; ${keyVar} is set, so set ${certVar} to the PEM certificate of that key (or unset ${keyVar})`,
    ];
  if (!hasKey)
    return isSet('SSL_KEY_PASSWORD')
      ? [`${passVar}: set only together with ${keyVar} (an encrypted key)`]
      : [];
  const tls = (typeof ssl === 'object' && ssl !== null ? ssl : {}) as ClientTls;
  if (typeof tls.cert !== 'string' || typeof tls.key !== 'string') return []; // a file issue was reported
  const passphrase = typeof tls.passphrase === 'string' ? tls.passphrase : undefined;
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: tls.key, format: 'pem', passphrase });
  } catch {
    if (passphrase !== undefined) return [`${passVar}: does not decrypt the key in ${keyVar}`];
    return [
      /ENCRYPTED|Proc-Type: 4,ENCRYPTED/.test(tls.key)
        ? `${keyVar}: the key is encrypted; set ${passVar} to its password`
        : `${keyVar}: not a valid PEM private key`,
    ];
  }
  if (!new X509Certificate(tls.cert).checkPrivateKey(key))
    return [
      `${certVar} / ${keyVar}: the key does not belong to the certificate; use the key the certificate was issued for`,
    ];
  return [];
}

/**
 * The one loopback rule: a host is this machine only when it is `localhost`, `::1`, or a numeric
 * IPv4 address in 127.0.0.0/8. Names that merely start with "127." (`127.attacker.example`) are
 * ordinary DNS names and can resolve anywhere.
 */
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  const octets = IPV4.exec(host);
  return octets !== null && octets.slice(1).every((o) => Number(o) <= 255) && Number(octets[1]) === 127;
}

/** True for a URL whose host is loopback (see isLoopbackHost); false for anything unparsable. */
export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** A key would travel in clear text: plain http to a host that is not this machine. */
export function isCleartextRemote(url: string): boolean {
  try {
    return new URL(url).protocol === 'http:' && !isLoopbackUrl(url);
  } catch {
    return false;
  }
}

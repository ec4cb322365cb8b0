// TEST SEAM, not a feature: SoftHSM never counts wrong PINs, never locks, never loses its slot, and
// offers every mechanism, so the paths a real token takes on those events could not be tested. When
// (and only when) LOKET_TOKEN_FAULTS is set in the environment, the PKCS#11 object is wrapped so a
// test can make the token report flags or return codes. The variable is read on every call, so a
// test can change the faults between steps. Production never sets it and gets the bare object.
import pkcs11js from 'pkcs11js';

export interface TokenFaults {
  /** CKF_* token flags OR-ed into every C_GetTokenInfo answer, e.g. ["CKF_USER_PIN_FINAL_TRY"]. */
  addTokenFlags?: string[];
  /** Method name → CKR_* code it fails with instead of reaching the module, e.g. { "C_Login": "CKR_PIN_LOCKED" }. */
  fail?: Record<string, string>;
  /** CKM_* mechanisms left out of C_GetMechanismList, e.g. ["CKM_SHA256_RSA_PKCS"]. */
  hideMechanisms?: string[];
}

export const faultsVariable = 'LOKET_TOKEN_FAULTS';

function constant(name: string): number {
  const value = (pkcs11js as unknown as Record<string, unknown>)[name];
  if (typeof value !== 'number') throw new Error(`${faultsVariable}: unknown PKCS#11 constant ${name}`);
  return value;
}

function currentFaults(): TokenFaults {
  const raw = process.env[faultsVariable];
  return raw ? (JSON.parse(raw) as TokenFaults) : {};
}

export function withTestFaults(p11: pkcs11js.PKCS11): pkcs11js.PKCS11 {
  if (process.env[faultsVariable] === undefined) return p11;
  return new Proxy(p11, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const faults = currentFaults();
        const failWith = faults.fail?.[prop];
        if (failWith !== undefined) throw new pkcs11js.Pkcs11Error(`${failWith}:${constant(failWith)}`, constant(failWith), prop);
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (prop === 'C_GetTokenInfo' && faults.addTokenFlags) {
          const info = result as pkcs11js.TokenInfo;
          return { ...info, flags: faults.addTokenFlags.reduce((f, name) => f | constant(name), info.flags) };
        }
        if (prop === 'C_GetMechanismList' && faults.hideMechanisms) {
          const hidden = new Set(faults.hideMechanisms.map(constant));
          return (result as number[]).filter((m) => !hidden.has(m));
        }
        return result;
      };
    },
  });
}

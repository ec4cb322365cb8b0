// What `npm start` gives a desk to try Loket without hardware: SANE's test backend standing in as
// "Pemindai uji (demo)" while no real scanner is listed, and the SoftHSM2 demo token while no real
// token is to be seen. Both live under the desk's data folder; a release carries neither.
import type { DevelopmentAids } from '../main/app/desk.ts';
import { demoScannerEnv } from './scanner/sane-test-backend.ts';
import { demoTokenEnv, demoTokens } from './token/demo-token.ts';

export const deskAids: DevelopmentAids = {
  deviceEnv: (dataDir) => ({ ...demoScannerEnv(dataDir), ...demoTokenEnv(dataDir) }),
  demoTokens,
};

// The tests' certificate authority is the desk's local CA (main/devices/token/local-ca.ts), the one
// that also certifies the demo token: one implementation, named here as the tests know it.
export { createLocalCa as createTestCa, type IssuedCertificate, type IssueOptions, type LocalCa as TestCa } from '../../dev/token/local-ca.ts';

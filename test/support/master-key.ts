/** The one master key of test worlds and test servers (a fixed value: a test may reopen a store). */
export const TEST_MASTER_KEY = Buffer.alloc(32, 7);
export const TEST_MASTER_KEY_B64 = TEST_MASTER_KEY.toString('base64');

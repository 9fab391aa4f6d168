import nock from 'nock';

// No test reaches the network: only loopback (our receiver, fake servers, Postgres).
nock.disableNetConnect();
nock.enableNetConnect((host) => /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host));

import { randomInt } from 'node:crypto';
import { SUITE_MLDSA87_MLKEM1024_AES256GCM_SHA256 as suite } from '../../src/main/chat/crypto';
import { ResponseCode } from '../../src/main/gen/skissm/common';
import type { OneTimePreKeyPublic } from '../../src/main/gen/skissm/crypto';
import {
  GetPreKeyBundleResponse,
  PublishSpkResponse,
  RegisterUserResponse,
  SupplyOpksResponse,
  type GetPreKeyBundleRequest,
  type PublishSpkRequest,
  type RegisterUserRequest,
  type SupplyOpksRequest,
} from '../../src/main/gen/skissm/requests';
import {
  AcquireAuthCodeResponse,
  AcquireServerInfoResponse,
  AskUserIdAvailableResponse,
  LoginResponse,
  LogoutResponse,
  RemoveUserDeviceResponse,
  UpdateAuthenticatorResponse,
  UpdatePushIdResponse,
  UpdateUserNameResponse,
  UpdateUserPrivacyResponse,
  type AcquireAuthCodeRequest,
  type AcquireServerInfoRequest,
  type AskUserIdAvailableRequest,
  type LoginRequest,
  type LogoutRequest,
  type RemoveUserDeviceRequest,
  type UpdateAuthenticatorRequest,
  type UpdatePushIdRequest,
  type UpdateUserNameRequest,
  type UpdateUserPrivacyRequest,
} from '../../src/main/gen/skiserver/skiserver';
import { deviceAddressOf, token, type Caller, type SandboxContext, type UnaryHandler } from './sandbox-context';
import type { DeviceRecord, UserRecord } from './sandbox-state';

const AUTH_CODE_TTL_S = 600;
const USER_ID = /^[a-z0-9][a-z0-9._-]{2,31}$/;
const DEVICE_ID = /^[A-Za-z0-9_-]{4,64}$/;
const AUTHENTICATOR = /^mailto:[^@\s]+@[^@\s]+$/;
/** When fewer one-time pre-keys remain, the device is asked for more (SupplyOpksMsg). */
export const OPK_LOW_WATER = 20;
export const OPK_SUPPLY_COUNT = 80;
const MAX_OPKS = 200;

function validOpks(list: OneTimePreKeyPublic[]): boolean {
  return list.length <= MAX_OPKS && list.every((o) => o.opkId > 0 && o.publicKey.length === suite.sizes.kemPublicKey);
}

function issueAuth(ctx: SandboxContext, user: UserRecord, device: DeviceRecord): { auth: string; expiresIn: string } {
  const auth = token();
  const expiresAt = Date.now() + ctx.authTtlMs;
  ctx.state.tokens.set(auth, { userId: user.userId, deviceId: device.deviceId, expiresAt });
  return { auth, expiresIn: String(expiresAt) };
}

export function accountHandlers(ctx: SandboxContext): Record<string, UnaryHandler> {
  const { state } = ctx;
  const ok = { code: ResponseCode.RESPONSE_CODE_OK, msg: '' };

  const acquireAuthCode = (req: AcquireAuthCodeRequest) => {
    if (!AUTHENTICATOR.test(req.authenticator)) {
      return AcquireAuthCodeResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_BAD_REQUEST, msg: 'authenticator must be mailto:name@host' });
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    state.authCodes.set(req.authenticator, { code, expiresAt: Date.now() + AUTH_CODE_TTL_S * 1000 });
    state.mail(req.authenticator, `Your Printdeck chat code is ${code}`);
    state.log(`auth code for ${req.authenticator}: ${code}`);
    return AcquireAuthCodeResponse.fromPartial({ ...ok, ttl: AUTH_CODE_TTL_S });
  };

  const askUserIdAvailable = (req: AskUserIdAvailableRequest) => {
    if (!USER_ID.test(req.userId)) return AskUserIdAvailableResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_BAD_REQUEST, msg: 'invalid user id' });
    const taken = state.users.has(req.userId);
    return AskUserIdAvailableResponse.fromPartial({ code: taken ? ResponseCode.RESPONSE_CODE_REQUEST_CONFLICT : ResponseCode.RESPONSE_CODE_OK, msg: '' });
  };

  const registerUser = (req: RegisterUserRequest) => {
    const fail = (code: ResponseCode, msg: string) => RegisterUserResponse.fromPartial({ code, msg });
    const pending = state.authCodes.get(req.authenticator);
    if (!pending || pending.expiresAt < Date.now() || pending.code !== req.authCode) return fail(ResponseCode.RESPONSE_CODE_UNAUTHORIZED, 'wrong or expired auth code');
    if (!USER_ID.test(req.userId) || !DEVICE_ID.test(req.deviceId)) return fail(ResponseCode.RESPONSE_CODE_BAD_REQUEST, 'invalid user or device id');
    if (req.e2eePackId !== suite.packId) return fail(ResponseCode.RESPONSE_CODE_BAD_REQUEST, 'unsupported e2ee pack id');
    const ik = req.identityKeyPublic;
    const spk = req.signedPreKeyPublic;
    if (!ik || ik.asymPublicKey.length !== suite.sizes.kemPublicKey || ik.signPublicKey.length !== suite.sizes.signPublicKey) return fail(ResponseCode.RESPONSE_CODE_BAD_REQUEST, 'bad identity key');
    if (!spk || spk.publicKey.length !== suite.sizes.kemPublicKey || !suite.sign.verify(ik.signPublicKey, spk.publicKey, spk.signature)) return fail(ResponseCode.RESPONSE_CODE_BAD_REQUEST, 'bad signed pre-key');
    if (!validOpks(req.oneTimePreKeyList)) return fail(ResponseCode.RESPONSE_CODE_BAD_REQUEST, 'bad one-time pre-keys');

    let user = state.users.get(req.userId);
    if (user && user.authenticator !== req.authenticator) return fail(ResponseCode.RESPONSE_CODE_REQUEST_CONFLICT, 'user id taken');
    if (user?.devices.has(req.deviceId)) return fail(ResponseCode.RESPONSE_CODE_REQUEST_CONFLICT, 'device already registered');
    state.authCodes.delete(req.authenticator);
    if (!user) {
      user = {
        userId: req.userId,
        userName: req.userName.slice(0, 64) || req.userId,
        authenticator: req.authenticator,
        devices: new Map(),
        privacy: { allowAttention: true, allowGreeting: true, allowAutoFriend: false },
        backups: [],
        backupKeyHash: new Uint8Array(0),
        contacts: new Set(),
      };
      state.users.set(user.userId, user);
    }
    const others = [...user.devices.values()];
    const device: DeviceRecord = {
      deviceId: req.deviceId,
      packId: req.e2eePackId,
      identity: ik,
      signedPreKey: spk,
      oneTimePreKeys: [...req.oneTimePreKeyList],
      password: token(),
      queue: [],
      supplyRequested: false,
      pushId: '',
    };
    user.devices.set(device.deviceId, device);
    const address = deviceAddressOf(ctx, user.userId, device.deviceId);
    const friends = state.contactsOf(user.userId);
    // Own other devices and friends learn about the new device, so they can open sessions to it.
    const addUserDevice = { userAddress: address, oldAddressList: others.map((d) => deviceAddressOf(ctx, user.userId, d.deviceId)) };
    state.log(`registered ${user.userId}/${device.deviceId}`);
    for (const target of [user.userId, ...friends]) {
      ctx.delivery.enqueueToUser(target, () => ({ from: address, payload: { $case: 'addUserDeviceMsg', value: addUserDevice } }), device.deviceId);
    }
    state.scheduleSave();
    return RegisterUserResponse.fromPartial({
      ...ok,
      address,
      username: user.userName,
      password: device.password,
      ...issueAuth(ctx, user, device),
      authenticator: user.authenticator,
      serverCert: ctx.signer.certificate,
      otherDeviceAddressList: addUserDevice.oldAddressList,
      otherUserAddressList: friends.map((f) => ({ domain: state.domain, peer: { $case: 'user', value: { userName: '', userId: f, deviceId: '' } } })),
      groupInfoList: [...state.groups.values()]
        .filter((g) => g.members.some((m) => m.userId === user.userId))
        .map((g) => ({ groupName: g.name, groupAddress: { domain: state.domain, peer: { $case: 'group', value: { groupName: g.name, groupId: g.groupId } } }, groupMemberList: g.members })),
    });
  };

  const login = (req: LoginRequest) => {
    const ref = req.userAddress?.peer?.$case === 'user' ? req.userAddress.peer.value : null;
    const user = ref ? state.users.get(ref.userId) : undefined;
    const device = ref ? user?.devices.get(ref.deviceId) : undefined;
    if (!user || !device || device.password !== req.password) return LoginResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_UNAUTHORIZED, msg: 'wrong user, device or password' });
    return LoginResponse.fromPartial({ ...ok, ...issueAuth(ctx, user, device), userState: 0, msgBackupDeviceId: '' });
  };

  const logout = (_req: LogoutRequest, caller: Caller | null) => {
    for (const [auth, session] of state.tokens) {
      if (session.userId === caller?.user.userId && session.deviceId === caller.device.deviceId) state.tokens.delete(auth);
    }
    return LogoutResponse.fromPartial(ok);
  };

  const getPreKeyBundle = (req: GetPreKeyBundleRequest, caller: Caller | null) => {
    const user = state.users.get(req.userId);
    if (!user || req.domain !== state.domain) return GetPreKeyBundleResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_NOT_FOUND, msg: 'no such user' });
    const devices = [...user.devices.values()].filter(
      (d) => (!req.deviceId || d.deviceId === req.deviceId) && !(caller?.user === user && caller.device === d),
    );
    const bundles = devices.map((d) => {
      const opk = d.oneTimePreKeys.shift();
      if (d.oneTimePreKeys.length < OPK_LOW_WATER && !d.supplyRequested) {
        d.supplyRequested = true;
        const to = deviceAddressOf(ctx, user.userId, d.deviceId);
        ctx.delivery.enqueue(user.userId, d, { from: undefined, to, payload: { $case: 'supplyOpksMsg', value: { serverT: String(Date.now()), opksNum: OPK_SUPPLY_COUNT, userAddress: to } } });
      }
      return ctx.signer.signBundle({
        userAddress: deviceAddressOf(ctx, user.userId, d.deviceId),
        e2eePackId: d.packId,
        identityKeyPublic: d.identity,
        signedPreKeyPublic: d.signedPreKey,
        oneTimePreKeyPublic: opk,
        signature: undefined,
      });
    });
    state.scheduleSave();
    return GetPreKeyBundleResponse.fromPartial({ ...ok, userId: user.userId, preKeyBundles: bundles });
  };

  const publishSpk = (req: PublishSpkRequest, caller: Caller | null) => {
    const spk = req.signedPreKeyPublic;
    if (!caller || !spk || !suite.sign.verify(caller.device.identity.signPublicKey, spk.publicKey, spk.signature)) {
      return PublishSpkResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_BAD_REQUEST, msg: 'bad signed pre-key' });
    }
    caller.device.signedPreKey = spk;
    state.scheduleSave();
    return PublishSpkResponse.fromPartial(ok);
  };

  const supplyOpks = (req: SupplyOpksRequest, caller: Caller | null) => {
    if (!caller || !validOpks(req.oneTimePreKeyPublicList)) return SupplyOpksResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_BAD_REQUEST, msg: 'bad one-time pre-keys' });
    caller.device.oneTimePreKeys.push(...req.oneTimePreKeyPublicList);
    caller.device.oneTimePreKeys.splice(0, Math.max(0, caller.device.oneTimePreKeys.length - MAX_OPKS));
    caller.device.supplyRequested = false;
    state.scheduleSave();
    return SupplyOpksResponse.fromPartial(ok);
  };

  const removeUserDevice = (req: RemoveUserDeviceRequest, caller: Caller | null) => {
    const target = req.removeUserDeviceMsg?.userAddress;
    const ref = target?.peer?.$case === 'user' ? target.peer.value : null;
    if (!caller || !ref || ref.userId !== caller.user.userId || !caller.user.devices.has(ref.deviceId)) {
      return RemoveUserDeviceResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_NOT_FOUND, msg: 'no such device' });
    }
    caller.user.devices.delete(ref.deviceId);
    for (const [auth, s] of state.tokens) if (s.userId === ref.userId && s.deviceId === ref.deviceId) state.tokens.delete(auth);
    const friends = state.contactsOf(caller.user.userId);
    for (const who of [caller.user.userId, ...friends]) {
      ctx.delivery.enqueueToUser(who, () => ({ from: caller.address, payload: { $case: 'removeUserDeviceMsg', value: { userAddress: target } } }));
    }
    state.scheduleSave();
    return RemoveUserDeviceResponse.fromPartial(ok);
  };

  const updateUserName = (req: UpdateUserNameRequest, caller: Caller | null) => {
    if (caller) caller.user.userName = req.username.slice(0, 64);
    return UpdateUserNameResponse.fromPartial(ok);
  };
  const updateUserPrivacy = (req: UpdateUserPrivacyRequest, caller: Caller | null) => {
    if (caller) caller.user.privacy = { allowAttention: req.allowAttention, allowGreeting: req.allowGreeting, allowAutoFriend: req.allowAutoFriend };
    state.scheduleSave();
    return UpdateUserPrivacyResponse.fromPartial(ok);
  };
  const updatePushId = (req: UpdatePushIdRequest, caller: Caller | null) => {
    if (caller) caller.device.pushId = req.pushId.slice(0, 512);
    return UpdatePushIdResponse.fromPartial(ok);
  };
  const updateAuthenticator = (req: UpdateAuthenticatorRequest, caller: Caller | null) => {
    const pending = state.authCodes.get(req.authenticator);
    if (!caller || !pending || pending.code !== req.authCode || pending.expiresAt < Date.now()) {
      return UpdateAuthenticatorResponse.fromPartial({ code: ResponseCode.RESPONSE_CODE_UNAUTHORIZED, msg: 'wrong or expired auth code' });
    }
    state.authCodes.delete(req.authenticator);
    caller.user.authenticator = req.authenticator;
    return UpdateAuthenticatorResponse.fromPartial(ok);
  };
  const acquireServerInfo = (_req: AcquireServerInfoRequest) =>
    AcquireServerInfoResponse.fromPartial({ ...ok, heartbeat: { hostname: `sandbox.${state.domain}`, serverT: String(Date.now()) } });

  return {
    acquireAuthCode,
    askUserIdAvailable,
    registerUser,
    login,
    logout,
    getPreKeyBundle,
    publishSpk,
    supplyOpks,
    removeUserDevice,
    updateUserName,
    updateUserPrivacy,
    updatePushId,
    updateAuthenticator,
    acquireServerInfo,
  } as Record<string, UnaryHandler>;
}

export const OPEN_METHODS: ReadonlySet<string> = new Set(['acquireAuthCode', 'askUserIdAvailable', 'registerUser', 'login', 'acquireServerInfo']);

import { describe, expect, it } from "vitest";
import { addressRejection, isPlainLoopback, type AddressRejection } from "./ip-address";

const REFUSED: Array<[string, AddressRejection]> = [
  ["127.0.0.1", "loopback_address"],
  ["::1", "loopback_address"],
  ["10.0.0.1", "private_address"],
  ["172.16.0.1", "private_address"],
  ["192.168.1.1", "private_address"],
  ["169.254.169.254", "link_local"],
  ["fd00:ec2::254", "private_address"],
  ["fe80::1", "link_local"],
  ["fe80::1%eth0", "link_local"],
  ["100.64.0.1", "cgnat_address"],
  ["224.0.0.1", "multicast_address"],
  ["ff02::1", "multicast_address"],
  ["0.0.0.0", "unspecified_address"],
  ["::", "unspecified_address"],
  ["255.255.255.255", "reserved_address"],
  ["192.0.2.1", "reserved_address"],
  ["240.0.0.1", "reserved_address"],
  ["192.175.48.1", "reserved_address"],
  ["::ffff:10.0.0.1", "private_address"],
  ["::ffff:127.0.0.1", "loopback_address"],
  ["::ffff:169.254.169.254", "link_local"],
  ["64:ff9b::a00:1", "private_address"],
  ["64:ff9b::7f00:1", "loopback_address"],
  ["64:ff9b:1::1", "private_address"],
  ["2002:a00:1::", "private_address"],
  ["2002:a9fe:a9fe::1", "link_local"],
  ["::ffff:0:a00:1", "reserved_address"],
  ["::a00:1", "reserved_address"],
  ["2001:db8::1", "reserved_address"],
  ["2001::1", "reserved_address"],
  ["100::1", "reserved_address"],
  ["4000::1", "reserved_address"],
  ["fec0::1", "private_address"],
  ["not an address", "reserved_address"],
  ["", "reserved_address"],
  ["1.2.3", "reserved_address"],
];

describe("addressRejection", () => {
  it.each(REFUSED)("refuses %s as %s", (address, reason) => {
    expect(addressRejection(address)).toBe(reason);
  });

  it.each(["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "3fff:1000::1"])(
    "accepts the public address %s",
    (address) => {
      expect(addressRejection(address)).toBeNull();
    },
  );
});

describe("isPlainLoopback", () => {
  it.each(["127.0.0.1", "127.1.2.3", "::1"])("is true for %s", (address) => {
    expect(isPlainLoopback(address)).toBe(true);
  });

  it.each(["::ffff:127.0.0.1", "64:ff9b::7f00:1", "10.0.0.1", "8.8.8.8", "localhost", "2606:4700:4700::1111"])("is false for %s", (address) => {
    expect(isPlainLoopback(address)).toBe(false);
  });
});

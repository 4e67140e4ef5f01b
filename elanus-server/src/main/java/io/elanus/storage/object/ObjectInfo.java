package io.elanus.storage.object;

public record ObjectInfo(String key, long size) {
}

package io.elanus.msgstream;

/** Naming of DML channels: a vchannel "{pchannel}_{collectionId}v{shard}" lives on its pchannel's WAL channel. */
public final class DmlChannels {
    private DmlChannels() {
    }

    public static String pchannelOf(String vchannel) {
        int cut = vchannel.lastIndexOf('_');
        return cut < 0 ? vchannel : vchannel.substring(0, cut);
    }
}

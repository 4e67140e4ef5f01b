package io.elanus.proxy;

import io.elanus.common.MilvusException;

/** Milvus's rules for collection, field, partition, alias and database names, with its messages. */
final class Names {
    private Names() {
    }

    static void validate(String kind, String name, int maxLength) {
        String what = kind + " name";
        if (name == null || name.trim().isEmpty()) {
            throw MilvusException.invalidParameter(capitalize(what) + " should not be empty");
        }
        String invalid = "Invalid " + what + ": " + name + ". ";
        if (name.length() > maxLength) {
            throw MilvusException.invalidParameter(invalid + "the length of a " + what + " must be less than " + maxLength + " characters");
        }
        char first = name.charAt(0);
        if (first != '_' && !isLetter(first)) {
            throw MilvusException.invalidParameter(invalid + "the first character of a " + what + " must be an underscore or letter");
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '_' && !isLetter(c) && !(c >= '0' && c <= '9')) {
                throw MilvusException.invalidParameter(invalid + capitalize(what) + " can only contain numbers, letters and underscores");
            }
        }
    }

    /** Partition names may also contain '-' (Milvus allows it for partition-key generated names). */
    static void validatePartition(String name, int maxLength) {
        validate("partition", name.replace('-', '_'), maxLength);
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}

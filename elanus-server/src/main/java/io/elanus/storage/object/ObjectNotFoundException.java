package io.elanus.storage.object;

/** Thrown when an operation needs an object that does not exist. */
public class ObjectNotFoundException extends RuntimeException {
    public ObjectNotFoundException(String key) {
        super("object not found: " + key);
    }
}

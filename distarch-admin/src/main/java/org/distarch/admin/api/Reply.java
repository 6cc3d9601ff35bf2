package org.distarch.admin.api;

/** What an endpoint answers: a status and a value written as JSON. */
record Reply(int status, Object body) {

    static Reply ok(Object body) {
        return new Reply(200, body);
    }
}

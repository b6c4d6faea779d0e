export const TABLE = "CREATE TABLE row_sink (id INTEGER PRIMARY KEY, name TEXT, email TEXT, n INTEGER)";
export const INSERT = "INSERT INTO row_sink (name, email, n) VALUES (?, ?, ?)";

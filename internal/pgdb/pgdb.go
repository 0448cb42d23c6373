// Package pgdb makes throwaway PostgreSQL databases for tests and
// benchmarks: one per measurement or test, dropped afterwards.
package pgdb

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// DB is a database made by Create.
type DB struct {
	URL   string // base with the database's name
	name  string
	admin *pgx.Conn
}

var seq atomic.Int64

// Create makes a database named prefix_... on the server that base (a
// PostgreSQL URL, one host or several, whose role may create databases)
// reaches. It returns once the new database can be connected to through
// base's hosts: with several, pgx stops at the first that lacks the
// database, so Create waits for standbys to replay it.
func Create(ctx context.Context, base, prefix string) (*DB, error) {
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", base, err)
	}
	name := fmt.Sprintf("%s_%d_%d_%d", prefix, os.Getpid(), time.Now().UnixNano(), seq.Add(1))
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close(ctx)
		return nil, fmt.Errorf("create database: %w", err)
	}
	d := &DB{name: name, admin: admin}
	u, err := url.Parse(base)
	if err != nil {
		d.Drop()
		return nil, err
	}
	u.Path = "/" + name
	d.URL = u.String()
	for {
		c, err := pgx.Connect(ctx, d.URL)
		if err == nil {
			c.Close(ctx)
			return d, nil
		}
		if ctx.Err() != nil {
			d.Drop()
			return nil, fmt.Errorf("connect to the new database: %w", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Size returns the database's size on disk, as PostgreSQL prints it.
func (d *DB) Size() string {
	var s string
	d.admin.QueryRow(context.Background(), "SELECT pg_size_pretty(pg_database_size($1))", d.name).Scan(&s)
	return s
}

// Drop drops the database, disconnecting its sessions.
func (d *DB) Drop() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if d.admin.IsClosed() {
		return
	}
	d.admin.Exec(ctx, "DROP DATABASE IF EXISTS "+d.name+" WITH (FORCE)")
	d.admin.Close(ctx)
}

<?php
/*
 * S-Connect bridge for OpenCart 2.3 – 4.1 (PHP 7.4 – 8.3).
 *
 * A fixed set of authenticated row operations on this shop's database:
 * schema, select (whitelisted tables and columns, named setting keys,
 * structured conditions, bound values, a row cap) and updateQuantities
 * (stock, each row only while it still holds what S-Connect read).
 * It never runs SQL sent by the client and never touches files but its own
 * nonce list and OpenCart's product cache. Every request is signed with
 * HMAC-SHA256 over method, path, timestamp, nonce and the body's hash; the
 * timestamp must be within five minutes and a nonce is accepted once. Every
 * answer is signed over the request's nonce, the status and the body's hash,
 * so that nobody in between can change it unnoticed. Anything unsigned gets
 * the web server's own "not found" page (notfound.php).
 *
 * Installed by S-Connect over FTP/SFTP into a folder of its own inside the
 * shop root; "Verbinding verwijderen" removes it. The secret is in secret.php.
 * What may be read (tables, columns, setting keys, row cap) is filled in by
 * S-Connect at installation from the one declaration in its own code.
 */
error_reporting(0);
ini_set('display_errors', '0');
define('SC_BRIDGE', true);

define('SC_WINDOW', 300);
define('SC_MAX_BODY', 4194304);
$SC_RULES = json_decode('__RULES__', true);
define('SC_MAX_ROWS', (int)$SC_RULES['maxRows']);

// sc_deny answers like the web server does for a page that is not there.
function sc_deny()
{
    include __DIR__ . '/notfound.php';
    http_response_code(404);
    exit;
}

// sc_reply sends a JSON answer signed with the secret over the request's
// nonce, the status and the body.
function sc_reply($data, $code = 200)
{
    global $secret, $nonce;
    $body = json_encode($data, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
    http_response_code($code);
    header_remove('X-Powered-By');
    header('Content-Type: application/json; charset=utf-8');
    header('Cache-Control: no-store');
    header('X-SC-Reply: ' . hash_hmac('sha256', "REPLY\n" . $nonce . "\n" . $code . "\n" . hash('sha256', $body), $secret));
    echo $body;
    exit;
}

function sc_fail($message, $code = 400)
{
    sc_reply(array('error' => $message), $code);
}

// ---- authentication -------------------------------------------------------

if (($_SERVER['REQUEST_METHOD'] ?? '') !== 'POST') {
    sc_deny();
}
if ((fileperms(__FILE__) & 0002) || (fileperms(__DIR__) & 0002)) {
    sc_deny(); // a world-writable bridge could have been changed by anyone
}
$secret = @include __DIR__ . '/secret.php';
if (!is_string($secret) || strlen($secret) < 64) {
    sc_deny();
}
$body = file_get_contents('php://input', false, null, 0, SC_MAX_BODY + 1);
if ($body === false || strlen($body) > SC_MAX_BODY) {
    sc_deny();
}
$ts = $_SERVER['HTTP_X_SC_TIMESTAMP'] ?? '';
$nonce = $_SERVER['HTTP_X_SC_NONCE'] ?? '';
$signature = $_SERVER['HTTP_X_SC_SIGNATURE'] ?? '';
if (!ctype_digit($ts) || !preg_match('/^[A-Za-z0-9]{16,64}$/', $nonce) || !preg_match('/^[a-f0-9]{64}$/', $signature)) {
    sc_deny();
}
$path = parse_url($_SERVER['REQUEST_URI'] ?? '', PHP_URL_PATH);
$message = "POST\n" . $path . "\n" . $ts . "\n" . $nonce . "\n" . hash('sha256', $body);
if (!hash_equals(hash_hmac('sha256', $message, $secret), $signature)) {
    sc_deny();
}
if (abs(time() - (int)$ts) > SC_WINDOW) {
    // Signed by S-Connect, but its clock is off: say so, signed, with ours.
    sc_reply(array('error' => 'clock', 'time' => time()), 403);
}
if (!sc_nonce_once($nonce, (int)$ts)) {
    sc_deny();
}

// sc_nonce_once records a nonce for the window and says whether it is new.
function sc_nonce_once($nonce, $ts)
{
    $file = __DIR__ . '/nonces.php';
    $fh = fopen($file, 'c+');
    if ($fh === false || !flock($fh, LOCK_EX)) {
        return false;
    }
    $keep = array();
    $seen = false;
    $now = time();
    fgets($fh); // the guard line
    while (($line = fgets($fh)) !== false) {
        $parts = explode(' ', trim($line));
        if (count($parts) !== 2 || !ctype_digit($parts[1])) {
            continue;
        }
        if ((int)$parts[1] < $now - 2 * SC_WINDOW) {
            continue;
        }
        if (hash_equals($parts[0], $nonce)) {
            $seen = true;
        }
        $keep[] = $parts[0] . ' ' . $parts[1];
    }
    if (!$seen) {
        $keep[] = $nonce . ' ' . $ts;
    }
    ftruncate($fh, 0);
    rewind($fh);
    fwrite($fh, "<?php if (!defined('SC_BRIDGE')) { include __DIR__ . '/notfound.php'; } exit; ?>\n" . implode("\n", $keep) . "\n");
    fflush($fh);
    flock($fh, LOCK_UN);
    fclose($fh);
    return !$seen;
}

// ---- the shop -------------------------------------------------------------

// sc_defines reads define('NAME', 'value') lines of a PHP file without
// running it.
function sc_defines($file)
{
    $src = @file_get_contents($file);
    $out = array();
    if ($src === false) {
        return $out;
    }
    preg_match_all("/define\\(\\s*['\"]([A-Z_]+)['\"]\\s*,\\s*(?:'((?:[^'\\\\]|\\\\.)*)'|\"((?:[^\"\\\\]|\\\\.)*)\"|(\\d+))\\s*\\)/", $src, $m, PREG_SET_ORDER);
    foreach ($m as $d) {
        if (isset($out[$d[1]])) {
            continue; // PHP keeps the first definition
        }
        if (isset($d[4]) && $d[4] !== '') {
            $out[$d[1]] = $d[4];
        } elseif (isset($d[3]) && $d[3] !== '') {
            $out[$d[1]] = stripcslashes($d[3]);
        } else {
            $out[$d[1]] = stripslashes($d[2] ?? '');
        }
    }
    return $out;
}

$root = dirname(__DIR__);
$config = sc_defines($root . '/config.php');
$index = sc_defines($root . '/index.php');
if (!isset($config['DB_DATABASE'])) {
    sc_fail('config.php of the shop not found or not readable', 500);
}

$request = json_decode($body, true);
if (!is_array($request) || !isset($request['op']) || !is_string($request['op'])) {
    sc_fail('bad request');
}
// The shop's own prefix, from config.php. A Tabel-prefix sent along must be
// that one: another prefix could reach other tables (shop_order_ + product
// is shop_order_product) or another shop in the same database.
$prefix = $config['DB_PREFIX'] ?? '';
if (!is_string($prefix) || !preg_match('/^[A-Za-z0-9_]{0,32}$/', $prefix)) {
    sc_fail('bad prefix in config.php', 500);
}
if (isset($request['prefix']) && $request['prefix'] !== '' && $request['prefix'] !== $prefix) {
    sc_fail('prefix differs from the shop\'s');
}

function sc_connect($config)
{
    $host = $config['DB_HOSTNAME'] ?? 'localhost';
    $port = (int)($config['DB_PORT'] ?? 3306);
    $socket = null;
    if (strpos($host, '/') !== false) {
        $colon = strpos($host, ':');
        if ($host[0] !== '/' && $colon !== false) {
            $socket = substr($host, $colon + 1);
            $host = substr($host, 0, $colon);
        } else {
            $socket = $host;
            $host = 'localhost';
        }
    } elseif (preg_match('/^(.+):(\d+)$/', $host, $hp)) {
        $host = $hp[1];
        $port = (int)$hp[2];
    }
    mysqli_report(MYSQLI_REPORT_OFF);
    $db = @new mysqli($host, $config['DB_USERNAME'] ?? '', $config['DB_PASSWORD'] ?? '', $config['DB_DATABASE'], $port ?: 3306, $socket);
    if ($db->connect_errno) {
        sc_fail('database: ' . $db->connect_error, 502);
    }
    $db->set_charset('utf8mb4');
    $db->query("SET SESSION sql_mode = 'NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION'");
    return $db;
}

$db = sc_connect($config);

// The whitelisted columns that exist, per table.
function sc_schema($db, $prefix, $whitelist)
{
    $like = str_replace('_', '\\_', $prefix) . '%';
    $st = $db->prepare('SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE ? ORDER BY TABLE_NAME, ORDINAL_POSITION');
    $st->bind_param('s', $like);
    $st->execute();
    $st->bind_result($table, $column);
    $out = array();
    while ($st->fetch()) {
        if (strpos($table, $prefix) !== 0) {
            continue;
        }
        $name = substr($table, strlen($prefix));
        if (!isset($whitelist[$name])) {
            continue;
        }
        if (!isset($out[$name])) {
            $out[$name] = array();
        }
        if (in_array($column, $whitelist[$name], true)) {
            $out[$name][] = $column;
        }
    }
    $st->close();
    return $out;
}

$schema = sc_schema($db, $prefix, $SC_RULES['tables']);

function sc_zone($db, $prefix, $schema)
{
    if (!isset($schema['setting'])) {
        return;
    }
    $res = $db->query("SELECT `value` FROM `" . $prefix . "setting` WHERE store_id = 0 AND `key` = 'config_timezone' LIMIT 1");
    if ($res && ($row = $res->fetch_row()) && @date_default_timezone_set($row[0])) {
        return;
    }
    date_default_timezone_set('Europe/Amsterdam');
}

sc_zone($db, $prefix, $schema);

function sc_column($schema, $table, $column)
{
    if (!is_string($column) || !isset($schema[$table]) || !in_array($column, $schema[$table], true)) {
        sc_fail('column not allowed');
    }
    return '`' . $column . '`';
}

function sc_value($v)
{
    if (is_int($v) || is_string($v)) {
        return $v;
    }
    sc_fail('value not allowed');
}

// sc_run prepares and runs a statement with bound values; it returns the
// result for a SELECT.
function sc_run($db, $sql, $args)
{
    $st = $db->prepare($sql);
    if ($st === false) {
        sc_fail('statement refused: ' . $db->error, 500);
    }
    if (count($args) > 0) {
        $types = '';
        foreach ($args as $a) {
            $types .= is_int($a) ? 'i' : 's';
        }
        $st->bind_param($types, ...$args);
    }
    if (!$st->execute()) {
        sc_fail('statement failed: ' . $st->error, 500);
    }
    return $st;
}

function sc_fetch($st)
{
    $meta = $st->result_metadata();
    $names = array();
    $row = array();
    $refs = array();
    foreach ($meta->fetch_fields() as $f) {
        $names[] = $f->name;
        $row[$f->name] = null;
        $refs[] = &$row[$f->name];
    }
    $st->bind_result(...$refs);
    $out = array();
    while ($st->fetch()) {
        $r = array();
        foreach ($names as $n) {
            $r[$n] = $row[$n] === null ? '' : (string)$row[$n];
        }
        $out[] = $r;
    }
    $st->close();
    return $out;
}

function sc_select($db, $prefix, $schema, $rules, $p)
{
    $table = $p['table'] ?? '';
    if (!is_string($table) || !isset($schema[$table])) {
        sc_fail('table not allowed');
    }
    $columns = $p['columns'] ?? array();
    if (!is_array($columns) || count($columns) === 0) {
        sc_fail('no columns');
    }
    $cols = array();
    foreach ($columns as $c) {
        $cols[] = sc_column($schema, $table, $c);
    }
    $sql = 'SELECT ' . implode(', ', $cols) . ' FROM `' . $prefix . $table . '`';
    $args = array();
    $where = array();
    foreach (($p['where'] ?? array()) as $w) {
        if (!is_array($w)) {
            sc_fail('bad condition');
        }
        $col = sc_column($schema, $table, $w['column'] ?? null);
        $op = $w['op'] ?? '';
        $values = $w['values'] ?? array();
        if (!is_array($values)) {
            sc_fail('bad values');
        }
        if ($op === 'in') {
            if (count($values) === 0 || count($values) > SC_MAX_ROWS) {
                sc_fail('bad values');
            }
            $where[] = $col . ' IN (' . implode(',', array_fill(0, count($values), '?')) . ')';
        } elseif (in_array($op, array('=', '<>', '>', '>=', '<', '<='), true) && count($values) === 1) {
            $where[] = $col . ' ' . $op . ' ?';
        } else {
            sc_fail('operator not allowed');
        }
        foreach ($values as $v) {
            $args[] = sc_value($v);
        }
    }
    if ($table === 'setting') {
        // Only the rows S-Connect reads: the request must name them, and
        // the statement says so again whatever the request said.
        $named = false;
        foreach (($p['where'] ?? array()) as $w) {
            if (($w['column'] ?? '') === 'key' && in_array($w['op'] ?? '', array('=', 'in'), true)) {
                foreach ($w['values'] as $v) {
                    if (!is_string($v) || !(in_array($v, $rules['settingKeys'], true) || preg_match($rules['settingKeyPattern'], $v))) {
                        sc_fail('setting key not allowed');
                    }
                }
                $named = true;
            }
        }
        if (!$named) {
            sc_fail('setting keys not named');
        }
        $where[] = '(`key` IN (' . implode(',', array_fill(0, count($rules['settingKeys']), '?')) . ') OR `key` LIKE ?)';
        foreach ($rules['settingKeys'] as $k) {
            $args[] = $k;
        }
        $args[] = $rules['settingKeyLike'];
    }
    if (count($where) > 0) {
        $sql .= ' WHERE ' . implode(' AND ', $where);
    }
    $order = array();
    foreach (($p['orderBy'] ?? array()) as $c) {
        $order[] = sc_column($schema, $table, $c);
    }
    if (count($order) > 0) {
        $sql .= ' ORDER BY ' . implode(', ', $order);
    }
    // Never more than SC_MAX_ROWS rows: without a limit one more is read,
    // to refuse a read that would have been cut short.
    $limit = $p['limit'] ?? 0;
    if (!is_int($limit) || $limit < 0 || $limit > SC_MAX_ROWS) {
        sc_fail('bad limit');
    }
    $sql .= ' LIMIT ' . ($limit > 0 ? $limit : SC_MAX_ROWS + 1);
    $rows = sc_fetch(sc_run($db, $sql, $args));
    if (count($rows) > SC_MAX_ROWS) {
        sc_fail('too many rows');
    }
    return $rows;
}

// sc_update_quantities changes the stock of a batch of products or option
// values, each row only while it still holds the quantity S-Connect read
// (from): a sale that came in between is kept. It answers what the rows
// that did not end at the new quantity hold now.
function sc_update_quantities($db, $prefix, $schema, $config, $rules, $p)
{
    $keys = $rules['stockTables'];
    $table = $p['table'] ?? '';
    if (!is_string($table) || !isset($keys[$table]) || !isset($schema[$table])) {
        sc_fail('table not allowed');
    }
    $key = '`' . $keys[$table] . '`';
    $want = array();
    $set = array();
    $cond = array();
    foreach (($p['changes'] ?? array()) as $c) {
        if (!is_array($c) || !is_int($c['id'] ?? null) || !is_int($c['from'] ?? null) || !is_int($c['to'] ?? null)) {
            sc_fail('bad change');
        }
        if (isset($want[$c['id']])) {
            continue;
        }
        $want[$c['id']] = $c['to'];
        $set[] = $c['id'];
        $set[] = $c['to'];
        $cond[] = $c['id'];
        $cond[] = $c['from'];
    }
    if (count($want) === 0 || count($want) > SC_MAX_ROWS) {
        return array('matched' => 0, 'changed' => 0, 'moved' => array());
    }
    $now = date('Y-m-d H:i:s');
    $sql = 'UPDATE `' . $prefix . $table . '` SET `quantity` = CASE ' . $key . str_repeat(' WHEN ? THEN ?', count($want)) . ' END';
    $args = $set;
    if ($table === 'product') {
        $sql .= ', `date_modified` = ?';
        $args[] = $now;
    }
    // The key range finds the rows; the CASE holds each to what was read
    // (4.1's NULL reads as 0, as everywhere else).
    $ids = array_keys($want);
    $sql .= ' WHERE ' . $key . ' IN (' . implode(',', array_fill(0, count($ids), '?')) . ') AND COALESCE(`quantity`, 0) = CASE ' . $key .
        str_repeat(' WHEN ? THEN ?', count($want)) . ' END';
    $st = sc_run($db, $sql, array_merge($args, $ids, $cond));
    $changed = $st->affected_rows;
    $st->close();
    $rows = sc_fetch(sc_run($db, 'SELECT ' . $key . ', COALESCE(`quantity`, 0) AS `quantity` FROM `' . $prefix . $table . '` WHERE ' . $key . ' IN (' .
        implode(',', array_fill(0, count($ids), '?')) . ')', $ids));
    $written = array();
    $moved = array();
    foreach ($rows as $r) {
        $id = (int)$r[$keys[$table]];
        if ((int)$r['quantity'] === $want[$id]) {
            $written[] = $id;
        } else {
            $moved[] = array('id' => $id, 'quantity' => (int)$r['quantity']);
        }
    }
    if ($table === 'product_option_value' && count($written) > 0) {
        sc_run($db, 'UPDATE `' . $prefix . 'product` SET `date_modified` = ? WHERE `product_id` IN (SELECT `product_id` FROM `' . $prefix .
            'product_option_value` WHERE `product_option_value_id` IN (' . implode(',', array_fill(0, count($written), '?')) . '))',
            array_merge(array($now), $written))->close();
    }
    if ($changed > 0) {
        // OpenCart 4 caches product listings for an hour: drop them. DIR_CACHE
        // is usually DIR_STORAGE . 'cache/', an expression sc_defines skips.
        $cache = $config['DIR_CACHE'] ?? (isset($config['DIR_STORAGE']) ? $config['DIR_STORAGE'] . 'cache/' : '');
        if ($cache !== '' && is_dir($cache)) {
            foreach (glob(rtrim($cache, '/') . '/cache.product.*') ?: array() as $f) {
                @unlink($f);
            }
        }
    }
    return array('matched' => count($rows), 'changed' => $changed, 'moved' => $moved);
}

$params = $request['params'] ?? array();
if (!is_array($params)) {
    sc_fail('bad params');
}
switch ($request['op']) {
    case 'schema':
        sc_reply(array('result' => array('version' => $index['VERSION'] ?? '', 'prefix' => $prefix,
            'columns' => (object)$schema, 'php' => PHP_VERSION)));
        break;
    case 'select':
        sc_reply(array('result' => sc_select($db, $prefix, $schema, $SC_RULES, $params)));
        break;
    case 'updateQuantities':
        sc_reply(array('result' => sc_update_quantities($db, $prefix, $schema, $config, $SC_RULES, $params)));
        break;
}
sc_fail('unknown operation');

/* Path lookup: from the root, the working directory or a directory a
 * descriptor names (the *at calls), across mounts, through ".." and
 * symbolic links. A link is followed by putting its target in front of
 * what is left of the path and going on from the root or from the
 * directory that held it, in a loop rather than by recursion (a user
 * chooses how deep links nest); 40 links in one lookup is ELOOP, as on
 * Linux. */
#include "kernel.h"
#include "module.h"
#include "fs.h"
#include "proc.h"

#define MAXLINKS 40
#define WALK_MAX (2 * PATH_MAX) /* the path with link targets spliced in */

/* A directory with a filesystem mounted on it stands for that root. */
static struct inode *cross_mounts(struct inode *ip) {
  while (ip->mounted) {
    struct inode *r = iget(ip->mounted);
    iput(ip);
    ip = r;
  }
  return ip;
}

/* The parent of a directory, leaving filesystems upward through the
 * directories they are mounted on. */
static struct inode *parent_of(struct inode *dir) {
  while (dir == dir->sb->root && dir->sb->covered) dir = dir->sb->covered;
  return dir->parent ? dir->parent : dir;
}

int vfs_step(struct inode *dir, const char *name, struct inode **out) {
  if (!S_ISDIR(dir->mode)) return -ENOTDIR;
  int denied = permission(dir, MAY_EXEC);
  if (denied) return denied;
  if (strcmp(name, ".") == 0) { *out = iget(dir); return 0; }
  if (strcmp(name, "..") == 0) { *out = iget(parent_of(dir)); return 0; }
  if (!dir->ops->lookup) return -ENOENT;
  int err = dir->ops->lookup(dir, name, out);
  if (err < 0) return err;
  *out = cross_mounts(*out);
  return 0;
}

/* Copies the next path component into name and advances; NULL at the end. */
static const char *next_name(const char *path, char *name, int *err) {
  while (*path == '/') path++;
  if (!*path) return NULL;
  u32 n = 0;
  for (; *path && *path != '/'; path++) {
    if (n == NAME_MAX) { *err = -ENAMETOOLONG; return NULL; }
    name[n++] = *path;
  }
  name[n] = 0;
  return path;
}

/* A symbolic link's target into buf (size bytes, NUL-terminated): its
 * length, or an error. */
int vfs_readlink(struct inode *ip, char *buf, u32 size, int user) {
  if (!S_ISLNK(ip->mode)) return -EINVAL;
  if (ip->ops->readlink) return ip->ops->readlink(ip, buf, size, user);
  if (!ip->ops->read) return -EINVAL;
  u32 n = ip->size < size ? ip->size : size;
  return ip->ops->read(ip, buf, 0, n, user);
}

/* Where a link leads: a "magic" link (/proc/self/exe) to an inode at
 * once, any other by its target text spliced in front of rest, in buf. */
static int follow(struct inode **dirp, struct inode *link, char *buf, const char *rest, struct inode **direct) {
  *direct = NULL;
  int magic = link->ops->follow ? link->ops->follow(link, direct) : 1;
  if (magic <= 0) return magic;
  char *target = kmalloc(PATH_MAX);
  if (!target) return -ENOMEM;
  int n = vfs_readlink(link, target, PATH_MAX - 1, 0);
  if (n >= 0 && n == 0) n = -ENOENT;
  u32 rlen = strlen(rest);
  if (n > 0 && (u32)n + rlen + 1 > WALK_MAX) n = -ENAMETOOLONG;
  if (n > 0) {
    memmove(buf + n, rest, rlen + 1);
    memcpy(buf, target, (u32)n);
    if (target[0] == '/') {
      iput(*dirp);
      *dirp = iget(root_inode());
    }
  }
  kmfree(target);
  return n < 0 ? n : 0;
}

/* Whether what is left of a path names more than trailing slashes. */
static int more(const char *p) {
  while (*p == '/') p++;
  return *p != 0;
}

/* Walks path from start (NULL: the working directory; an absolute path
 * starts at the root). With want_parent, stops before the last component,
 * which goes into last; else follows a final link when LOOKUP_FOLLOW
 * says so (or a trailing slash asks for a directory). */
static int walk(struct inode *start, const char *path, u32 flags, int want_parent, struct inode **out, char *last) {
  if (!*path) return -ENOENT;
  if (strlen(path) >= WALK_MAX) return -ENAMETOOLONG;
  char *buf = kmalloc(WALK_MAX + NAME_MAX + 1);
  if (!buf) return -ENOMEM;
  char *name = buf + WALK_MAX;
  memcpy(buf, path, strlen(path) + 1);
  if (!start) start = curproc && curproc->cwd ? curproc->cwd : root_inode();
  struct inode *ip = iget(*path == '/' ? root_inode() : start);
  int err = 0, links = 0;
  const char *p = buf;
  if (want_parent && !more(p)) err = -EEXIST; /* the path names "/" */
  while (!err) {
    const char *q = next_name(p, name, &err);
    if (!q) break;
    int final = !more(q), slash = final && *q == '/';
    if (want_parent && final) {
      if (!S_ISDIR(ip->mode)) { err = -ENOTDIR; break; }
      memcpy(last, name, NAME_MAX + 1);
      *out = ip;
      kmfree(buf);
      return 0;
    }
    struct inode *next;
    if ((err = vfs_step(ip, name, &next)) < 0) break;
    if (S_ISLNK(next->mode) && (!final || (flags & LOOKUP_FOLLOW) || slash)) {
      struct inode *direct;
      if (++links > MAXLINKS) err = -ELOOP;
      else err = follow(&ip, next, buf, q, &direct);
      iput(next);
      if (err) break;
      if (direct) { iput(ip); ip = direct; p = q; }
      else p = buf;
      continue;
    }
    iput(ip);
    ip = next;
    p = q;
    if (slash && !S_ISDIR(ip->mode)) err = -ENOTDIR;
  }
  kmfree(buf);
  if (err) { iput(ip); return err; }
  *out = ip;
  return 0;
}

int namei_at(struct inode *start, const char *path, u32 flags, struct inode **out) {
  return walk(start, path, flags, 0, out, NULL);
}

int namei_parent_at(struct inode *start, const char *path, struct inode **dir, char *name) {
  return walk(start, path, 0, 1, dir, name);
}

int namei(const char *path, struct inode **out) { return walk(NULL, path, LOOKUP_FOLLOW, 0, out, NULL); }
int namei_parent(const char *path, struct inode **dir, char *name) { return walk(NULL, path, 0, 1, dir, name); }

/* The absolute path of an inode (through the names and parents the
 * filesystems keep), for getcwd and /proc's links. */
int inode_path(struct inode *ip, char *buf, u32 size) {
  char *tmp = kmalloc(PATH_MAX);
  if (!tmp) return -ENOMEM;
  u32 pos = PATH_MAX;
  int err = 0;
  tmp[--pos] = 0;
  for (;;) {
    while (ip == ip->sb->root && ip->sb->covered) ip = ip->sb->covered;
    if (!ip->parent) break;
    u32 n = strlen(ip->name);
    if (pos < n + 1) { err = -ENAMETOOLONG; break; }
    pos -= n;
    memcpy(tmp + pos, ip->name, n);
    tmp[--pos] = '/';
    ip = ip->parent;
  }
  if (!err && ip != root_inode()) err = -ENOENT; /* removed from the tree */
  if (!err && tmp[pos] == 0) tmp[--pos] = '/';
  if (!err && PATH_MAX - pos > size) err = -ERANGE;
  if (!err) memcpy(buf, tmp + pos, PATH_MAX - pos);
  kmfree(tmp);
  return err ? err : (int)(PATH_MAX - pos);
}

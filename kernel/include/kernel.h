#ifndef KERNEL_H
#define KERNEL_H
#include "types.h"
#include "errno.h"

/* console.c: the early polled console on COM1 (writes only). */
void console_init(void);
void console_putc(char c);
void console_raw(char c);

/* printk.c */
int printk(const char *fmt, ...);
int vsnprintk(char *buf, size_t size, const char *fmt, va_list ap);
int snprintk(char *buf, size_t size, const char *fmt, ...);
int klog_read(void *buf, u32 off, u32 n, int user);

/* string.c */
size_t strlen(const char *s);
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
const char *strstr(const char *hay, const char *needle);
void strncpy_safe(char *d, const char *s, size_t size);
/* cpio.c */
typedef void (*cpio_visit)(const char *name, u32 mode, const u8 *data, u32 size, void *arg);
int cpio_each(const u8 *archive, u32 len, cpio_visit visit, void *arg);

extern const char *kernel_cmdline;

/* random.c: a ChaCha20 generator seeded from the RTC and the TSC */
void random_init(void);
void random_bytes(void *buf, u32 n);

/* panic.c */
void panic(const char *fmt, ...) __attribute__((noreturn));
void backtrace(u32 ebp);

/* kalloc.c: physical pages, by kernel virtual address */
struct mb_info;
extern u32 phystop;
void kalloc_init(const struct mb_info *mb, u32 reserved_end);
void kalloc_free_memory(const struct mb_info *mb, u32 reserved_end);
void *kalloc(void);
void kfree(void *page);
void page_get(void *page);
int page_shared(void *page);
u32 kalloc_free_pages(void);
u32 kalloc_total_pages(void);

/* kmalloc.c: small objects, up to 2 KiB */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kmfree(void *p);

/* vmalloc.c: bigger than a page, virtually contiguous */
void vmalloc_init(u32 *pgdir);
void *vmalloc(u32 size);
void vfree(void *p);
void *vmalloc_stack(u32 size);
int in_stack_guard(u32 va);
int kernel_readable(u32 va, u32 n);

/* vm.c */
void vm_init(void);
void vm_init_late(void);
u32 *kernel_pgdir(void);
u32 *pgdir_new(void);
void pgdir_free(u32 *pd);
u32 *pte_of_user(u32 *pd, u32 va, int create);
void *map_user_page(u32 *pd, u32 va, int writable);
void *user_addr(u32 *pd, u32 va, int write);
void load_pgdir(u32 *pd);
void flush_tlb(u32 *pd);
u32 pgdir_user_pages(u32 *pd);
void unmap_user_range(u32 *pd, u32 va, u32 end);

/* gdt.c, trap.c, pic.c, timer.c */
void gdt_init(void);
void tss_set_kernel_stack(u32 esp0);
struct tss;
void gdt_set_tss(u32 sel, struct tss *t);
const struct tss *task_state(void);
void double_fault_init(void);
u32 current_euid(void);
u32 current_egid(void);
void idt_init(void);
const char *trap_name(u32 n);
void pic_init(void);
void pic_enable(int irq);
void pic_eoi(int irq);
struct module;
int request_irq(u32 irq, void (*handler)(void), struct module *owner);
void free_irq(u32 irq);
void free_irqs(struct module *owner); /* for the module loader: all owner requested */
#define HZ 100
extern volatile u32 ticks;
extern u32 idle_ticks;
void timer_init(void);
void rtc_read_boot_time(void);
u32 time_now(void); /* seconds since 1970, from the RTC at boot and the ticks since */
u32 boot_time(void);
void set_boot_time(u32 t);
#endif

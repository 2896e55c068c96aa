/**
 * The user's edit of the table against the stock kernel's own table: which vectors it changes, and whether a
 * difference between the stock and the generated kernel is one the edit explains.
 */
package dev.idtgen.edit;
